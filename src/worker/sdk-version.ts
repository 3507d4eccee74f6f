/** The SDK name and version the worker records in each workflow task completion's `sdkMetadata`. */
import { createRequire } from 'node:module';

export const SDK_NAME = 'duraflow';
export const SDK_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
