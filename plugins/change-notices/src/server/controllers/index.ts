import health from './health';
import inbox from './inbox';
import notices from './notices';
import search from '../search/controller';
import standing from './standing';
import versions from './versions';

export default { health, inbox, notices, search, standing, versions };
