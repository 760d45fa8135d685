# DOOS — developer commands. `make up` brings the whole system up natively; `make test` runs every test.
# Both install what they need (idempotently, cached under $DOOS_HOME, default /var/cache/doos as root).

SHELL := /bin/bash
.DEFAULT_GOAL := help
STACK := deployments/native/stack.sh
COMPOSE := docker compose -f deployments/docker-compose.yml
NPX := npx --no-install

.PHONY: help deps web generate build lint typecheck fmt fmt-check test test-unit test-cover bench soak chaos up down status migrate clean docker-up docker-down

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'

node_modules/.doos-deps: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.doos-deps ## install npm dependencies (only when package-lock.json changed)

web/node_modules/.doos-deps: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	@touch $@

WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

web/dist/index.html: web/node_modules/.doos-deps $(WEB_SOURCES)
	npm run --prefix web build

web: web/dist/index.html ## build the web front end into web/dist (the API serves it at /)

generated/.stamp: node_modules/.doos-deps prisma/shard/schema.prisma prisma/inventory/schema.prisma prisma/generate.ts
	$(NPX) tsx prisma/generate.ts
	@touch $@

generate: generated/.stamp ## generate the Prisma clients (offline)

build: generate ## compile TypeScript to dist/
	$(NPX) tsc -p tsconfig.json

typecheck: generate ## type-check without emitting
	$(NPX) tsc -p tsconfig.json --noEmit

lint: generate ## ESLint (no floating promises; no Node built-ins in workflows)
	$(NPX) eslint .

fmt: deps ## format with Prettier
	$(NPX) prettier --write .

fmt-check: deps ## check formatting
	$(NPX) prettier --check .

migrate: generate ## apply SQL migrations to every shard, the inventory DB and the accounts DB
	$(NPX) tsx lib/db/migrate-cli.ts

up: generate web ## install and start the whole system natively (servers, migrations, API and its web front end), print the URLs
	$(STACK) up servers
	$(NPX) tsx lib/db/migrate-cli.ts
	$(NPX) tsx lib/accounts/seed-cli.ts
	$(STACK) up apps
	@deployments/native/urls.sh

down: ## stop what `make up` started (nothing else)
	$(STACK) down

status: ## state, port, pid and memory of every server of the native stack
	$(STACK) status

test: generate web ## start what the tests need, then type-check, lint, check formatting and run every test
	$(STACK) up servers
	$(STACK) install tools
	@# The tests run their own relay and consumer: app processes left by `make up` would race them for rows.
	$(STACK) down apps
	$(NPX) tsx lib/db/migrate-cli.ts
	$(NPX) tsc -p tsconfig.json --noEmit
	$(NPX) eslint .
	$(NPX) prettier --check --log-level warn .
	npm test --prefix web
	$(NPX) mocha 'test/**/*.test.ts'

test-unit: generate ## unit tests only (no servers needed)
	$(NPX) mocha 'test/unit/**/*.test.ts'

test-cover: generate ## every test with a coverage report in coverage/
	$(STACK) up servers
	$(STACK) install tools
	$(STACK) down apps
	$(NPX) tsx lib/db/migrate-cli.ts
	$(NPX) c8 --reporter=text-summary --reporter=html mocha 'test/**/*.test.ts'

chaos: generate ## the chaos suite at full size (60 s outages, SIGKILLs), printing its summary; not in CI (make test runs a small one)
	$(STACK) up servers
	$(NPX) tsx chaos/run.ts

bench: generate web ## benchmarks with the whole system running as make up runs it (BENCH_ORDERS, BENCH_CONCURRENCY), printing their figures
	$(STACK) up servers
	$(NPX) tsx lib/db/migrate-cli.ts
	$(NPX) tsx lib/accounts/seed-cli.ts
	@# bench/run.ts restarts make up's apps with the benchmark's environment, and as make up runs them at the end.
	$(NPX) tsx bench/run.ts

soak: generate ## the whole system at 70 % of its maximum for 10 min (BENCH_SOAK_MINUTES, BENCH_SOAK_RATE): errors, latency, memory and lags over time; not in CI
	$(STACK) up servers
	$(NPX) tsx lib/db/migrate-cli.ts
	$(NPX) tsx lib/accounts/seed-cli.ts
	$(NPX) tsx bench/soak.ts

clean: ## remove build output, coverage and generated clients
	rm -rf dist coverage generated

docker-up: ## (machines with Docker) the same system from deployments/docker-compose.yml
	$(COMPOSE) up -d

docker-down: ## (machines with Docker) stop and remove the compose services
	$(COMPOSE) down
