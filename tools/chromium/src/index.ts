export { BundleError, type BundleOptions, bundlePage, nodeBuiltinInputs, type PageBundle } from './bundle';
export {
  BASE_FLAGS,
  CHROMIUM_PATH,
  type ChromiumOptions,
  chromiumArgs,
  chromiumPath,
  DEFAULT_CHROMIUM_PATH,
  type LaunchOptions,
  launchChromium,
  REAL_GPU_WEBGPU_FLAGS,
  requireChromium,
  WEBGPU_FLAGS,
} from './chromium';
export { type OpenedPage, type OpenPageOptions, openModulePage, openPage } from './page';
export {
  CONTENT_TYPES,
  CROSS_ORIGIN_ISOLATION,
  contentType,
  modulePage,
  resolveInFolder,
  type ServedBody,
  type StaticOptions,
  type StaticServer,
  serveStatic,
} from './serve';
export { PageError, withTimeout } from './timeout';
