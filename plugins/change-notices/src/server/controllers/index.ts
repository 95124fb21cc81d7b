import health from './health';
import standing from './standing';
import versions from './versions';

export default { health, standing, versions };
