/** Mocha set-up for every test file: quiet Temporal's worker runtime to warnings. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
