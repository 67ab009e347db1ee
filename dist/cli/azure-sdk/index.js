export * from '../../azure-sdk/index.js';
