import type { Plugin } from 'rollup';

export function instrumentForCoverage(root?: string): Plugin;
