import { fileURLToPath } from 'node:url';

/** The bench package's folder and the repository root, wherever the bench is run from. */
export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGES_DIR = fileURLToPath(new URL('../../packages/', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
