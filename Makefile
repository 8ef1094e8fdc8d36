# Huoyan — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
BUILD_TYPE ?= RelWithDebInfo
# CI builds treat warnings as errors.
WERROR ?= $(if $(CI),ON,OFF)
DB ?= sqlite:data/huoyan.db
LISTEN ?= 127.0.0.1:8080
BIN := build/huoyan
WEB_SOURCES := $(shell find web/src web/m web/index.html web/vite.config.ts web/package.json web/public -type f 2>/dev/null)

.PHONY: run test deps build server web demo-db run-pg test-unit test-api test-web test-e2e test-mqtt mqtt bench clean help

help:
	@echo "make run      安装依赖、构建并以演示数据启动 http://$(LISTEN)"
	@echo "make test     安装依赖、构建并运行全部测试"
	@echo "make run-pg   在临时 PostgreSQL 集群上启动（退出即删除）"
	@echo "make bench    基准测试"

deps:
	@scripts/install-deps.sh

build: deps server web

server:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DHUOYAN_WERROR=$(WERROR) >/dev/null
	@cmake --build build -j$$(nproc)

web: web/dist/index.html

web/dist/index.html: $(WEB_SOURCES) web/package-lock.json
	cd web && npm run build

# The demo town is loaded once into a new database; delete data/ to start over.
demo-db: server
	@if [ "$(DB)" = "sqlite:data/huoyan.db" ]; then $(BIN) demo --db $(DB); fi

MQTT ?=
run: build demo-db
	$(BIN) serve --db $(DB) --listen $(LISTEN) $(if $(MQTT),--mqtt $(MQTT))

run-pg: build
	scripts/with-postgres.sh bash -c '$(BIN) demo --db "$$HUOYAN_PG_URL" && $(BIN) serve --db "$$HUOYAN_PG_URL" --listen $(LISTEN)'

test: build
	scripts/test-all.sh

test-unit: server
	scripts/test-all.sh unit
test-api: build
	scripts/test-all.sh api-sqlite api-postgres
test-web: deps
	scripts/test-all.sh web-unit
test-e2e: build
	scripts/test-all.sh e2e
test-mqtt: build
	scripts/test-all.sh mqtt

# A Mosquitto broker on loopback for development (Ctrl-C stops it); then `make run MQTT=127.0.0.1:1883`.
mqtt:
	@printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n' > /tmp/huoyan-mosquitto.conf
	mosquitto -c /tmp/huoyan-mosquitto.conf

bench: build
	scripts/bench.sh
	scripts/bench-devices.sh

clean:
	rm -rf build web/dist
