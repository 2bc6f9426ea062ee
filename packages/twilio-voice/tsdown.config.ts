import { shimsBuildConfig } from '../../config/tsdown.ts';

export default shimsBuildConfig();
