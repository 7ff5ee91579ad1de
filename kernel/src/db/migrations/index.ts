import type { MigrationObject } from '@mikro-orm/core';
import { M0001KernelCore } from './m0001-kernel-core.js';
import { M0002PluginPlatform } from './m0002-plugin-platform.js';
import { M0003HostApiEventsJobsEmail } from './m0003-host-api-events-jobs-email.js';
import { M0004PluginPackages } from './m0004-plugin-packages.js';
import { M0005PluginIdentityViews } from './m0005-plugin-identity-views.js';

/**
 * The kernel's migrations in order. Listed in code rather than discovered on disk so they work the same under
 * tsx, vitest and a compiled build, in an ESM package.
 */
export const kernelMigrations: MigrationObject[] = [
  { name: 'm0001-kernel-core', class: M0001KernelCore },
  { name: 'm0002-plugin-platform', class: M0002PluginPlatform },
  { name: 'm0003-host-api-events-jobs-email', class: M0003HostApiEventsJobsEmail },
  { name: 'm0004-plugin-packages', class: M0004PluginPackages },
  { name: 'm0005-plugin-identity-views', class: M0005PluginIdentityViews },
];
