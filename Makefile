# The two commands of the README:
#   make run    install what is missing, build, start fgsd on 127.0.0.1:8000 (SQLite in ./data)
#   make test   install what is missing, build, run every test, then again under ASan+UBSan
JOBS ?= $(shell nproc)

.PHONY: all build run test bench deps clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

run: build
	@scripts/run.sh

test:
	@scripts/test.sh

bench: build
	@scripts/deps.sh bench
	@bench/run.sh

clean:
	rm -rf build build-asan
