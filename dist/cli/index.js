export { runCli } from '../engine/index.js';
