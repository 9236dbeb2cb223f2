// The product version, written into the bundles by esbuild from package.json.
declare const SIGHTLINE_VERSION: string | undefined;

export const version: string = typeof SIGHTLINE_VERSION === 'string' ? SIGHTLINE_VERSION : '0.0.0-dev';
