import { exposeConformance } from '@shims/testkit/page';
import { pageSdk } from './chime-app.ts';
import { chimeDriver } from './chime-driver.ts';

/** Called by the entry chime-bundle.ts writes, once the SDK is in place. */
export function main(): void {
  exposeConformance(chimeDriver(pageSdk(), '3.32.0'));
}
