import { exposeConformance } from '@shims/testkit/page';
import { pageSdk } from './chime-app.ts';
import { chimeDriver } from './chime-driver.ts';

/** Called by the entry chime-bundle.ts writes, once amazon-chime-sdk-js 3.0.0 is in place. */
export function main(): void {
  exposeConformance(chimeDriver(pageSdk(), '3.0.0'));
}
