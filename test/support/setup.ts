/** Mocha set-up for every test file: quiet Temporal's worker runtime to errors (tests provoke activity failures on purpose). */
import { DefaultLogger, Runtime } from '@temporalio/worker';

// The tests' shop keeps UTC days (the dev and prod configurations say Asia/Shanghai); spawned processes inherit it.
process.env.DOOS_SHOP_TIME_ZONE ??= 'UTC';

Runtime.install({ logger: new DefaultLogger('ERROR') });
