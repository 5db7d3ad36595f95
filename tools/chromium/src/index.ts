export { BundleError, type BundleOptions, bundlePage, nodeBuiltinInputs, type PageBundle } from './bundle';
export {
  BASE_FLAGS,
  CHROMIUM_PATH,
  type ChromiumOptions,
  chromiumArgs,
  launchChromium,
  requireChromium,
  WEBGPU_FLAGS,
} from './chromium';
export { type OpenedPage, type OpenPageOptions, openModulePage, openPage } from './page';
export {
  CONTENT_TYPES,
  contentType,
  modulePage,
  resolveInFolder,
  type StaticOptions,
  type StaticServer,
  serveStatic,
} from './serve';
export { PageError, withTimeout } from './timeout';
