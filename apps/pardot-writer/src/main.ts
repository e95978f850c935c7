import { setSourceMapsSupport } from 'node:module';

// Stack traces name our TypeScript sources, from the source maps of our own code only: the maps of
// node_modules are not read (parsing them cost tens of MB per process). The service's modules are
// imported after this call, so that their maps are read (docs/decisions/0132).
setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
await import('./service.js');
