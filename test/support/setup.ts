/** Mocha set-up for every test file: quiet Temporal's worker runtime to errors (tests provoke activity failures on purpose). */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
