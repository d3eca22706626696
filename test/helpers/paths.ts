/**
 * Locations of the shared read-only inputs (UIUC airfoils, reference data, XFOIL tool). CI clones the
 * project into a fresh folder with shared/ beside it, so never hard-code an absolute path: use these.
 * FOILOPT_SHARED overrides the location.
 */
import * as path from 'path';
import * as fs from 'fs';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_DIR = process.env.FOILOPT_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const UIUC_DIR = path.join(SHARED_DIR, 'data', 'uiuc-airfoils');
export const REFERENCE_DIR = path.join(SHARED_DIR, 'data', 'reference');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');
export const hasShared = fs.existsSync(UIUC_DIR);
