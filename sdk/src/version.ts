/**
 * The SDK's version, as a constant so a plugin bundled into one file still knows it (a unit test keeps it equal
 * to package.json's).
 * @module
 */

/** The version of `@goatflow/sdk`; sent in the gRPC hello so operators see which SDK a plugin was built with. */
export const SDK_VERSION: string = '0.1.0';
