import health from './health';
import inbox from './inbox';
import notices from './notices';
import standing from './standing';
import versions from './versions';

export default { health, inbox, notices, standing, versions };
