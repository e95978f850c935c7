import { setSourceMapsSupport } from 'node:module';
import { setFlagsFromString } from 'node:v8';

// V8 favours memory over speed (smaller heap growth steps, earlier collection). `--optimize-for-size` is
// not accepted in NODE_OPTIONS, so it is set here, before the service's modules load: about 10 MB less
// RSS per idle service, measured with ./pardot-x3 bench memory (docs/decisions/0132).
setFlagsFromString('--optimize-for-size');
// Stack traces name our TypeScript sources, from the source maps of our own code only: the maps of
// node_modules are not read (parsing them cost tens of MB per process). The service's modules are
// imported after this call, so that their maps are read (docs/decisions/0132).
setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
await import('./service.js');
