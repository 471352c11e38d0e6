# amdbare — plain Makefile.
#
#   make              library (static + shared), CLI, vgpu preload library
#   make check        the test suite on the virtual device (vgpu)
#   make check-hw     the tests that need no vgpu-only feature, on a real GPU
#   make run          the main job: real GPU if present, else the virtual 780M
#   make install      PREFIX=/usr/local DESTDIR=  (library, CLI, vgpu, headers, Python package)
#   make SANITIZE=address,undefined check   (builds into build-asan/)
#
# Every source directory is globbed, so adding a file needs no edit here.

PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
# The Python package goes where Debian's /usr/bin/python3 looks under PREFIX:
# /usr/lib/python3/dist-packages for PREFIX=/usr, else
# $(PREFIX)/lib/python3.N/dist-packages (/usr/local/lib/python3.11/... on
# Debian 12).  Evaluated only when installing.
PYTHON3 ?= $(firstword $(wildcard /usr/bin/python3) python3)
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python3.$(shell $(PYTHON3) -c 'import sys; print(sys.version_info[1])')/dist-packages)
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config

SANITIZE ?=
ifeq ($(SANITIZE),)
BUILD   ?= build
SANFLAGS :=
else
BUILD   ?= build-$(firstword $(subst $(comma), ,$(SANITIZE)))
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
comma := ,

DRM_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdrm libdrm_amdgpu libelf)
DRM_LIBS   := $(shell $(PKG_CONFIG) --libs libdrm libdrm_amdgpu libelf)

OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD    := -std=c11 -D_GNU_SOURCE
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
CLI_SRC  := $(sort $(wildcard tools/amdbare/*.c))
# The ISA decoder (tools/vgpu/isa) is part of the preload library, where the
# shader core decodes with it, and vgpu-disasm links the same objects alone.
ISA_SRC  := $(sort $(wildcard tools/vgpu/isa/*.c))
VGPU_SRC := $(sort $(wildcard tools/vgpu/*/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
# `make kernels` and the embedded kernel code objects (adds their generated
# .S object to LIB_OBJ).
include kernels/kernels.mk
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
VGPU_OBJ := $(VGPU_SRC:%.c=$(BUILD)/obj/%.o)
ISA_OBJ  := $(ISA_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

LIB_A    := $(BUILD)/libamdbare.a
LIB_SO   := $(BUILD)/libamdbare.so
CLI      := $(BUILD)/amdbare
VGPU_SO  := $(BUILD)/libamdbare-vgpu.so
DISASM   := $(BUILD)/vgpu-disasm

.PHONY: all lib cli vgpu tests check check-hw check-tsan check-memcheck bench run install uninstall clean
all: $(LIB_A) $(LIB_SO) $(CLI) $(VGPU_SO) $(if $(wildcard tools/vgpu-disasm/*.c),$(DISASM))
lib: $(LIB_A) $(LIB_SO)
cli: $(CLI)
vgpu: $(VGPU_SO)
tests: all $(TEST_BIN)

# `make diff-kernels` rebuilds the checked-in tests/diff/*.co from tests/diff/*.cl (needs clang-19/ld.lld-19;
# nothing else depends on it, so all/check need no compiler).
.PHONY: diff-kernels
diff-kernels:
	sh tests/diff/rebuild.sh

# `make isa-corpus-check` holds vgpu-disasm against LLVM 19's gfx11 MC
# disassembler tests, fetched from Debian's llvm-toolchain-19 source package
# into build/llvm-corpus (needs a deb-src line; not part of `check`);
# `make isa-corpus-check-gfx103` the gfx10.3 decoder against the gfx10
# tests (build/llvm-corpus103), `make isa-corpus-check-gfx9` the gfx9
# decoder against the gfx9 tests (build/llvm-corpus9).
# `make isa-coverage` reports, per encoding class, the mnemonics LLVM knows,
# the decoder's tables hold, the shader core executes and the tests use.
.PHONY: isa-corpus-check isa-corpus-check-gfx103 isa-corpus-check-gfx9 isa-coverage
isa-corpus-check: all
	sh tools/isa-corpus-check.sh
isa-corpus-check-gfx103: all
	sh tools/isa-corpus-check.sh --gfx103
isa-corpus-check-gfx9: all
	sh tools/isa-corpus-check.sh --gfx9
isa-coverage: all $(BUILD)/vgpu-isa-coverage
	python3 tools/isa-coverage.py $(BUILD)/vgpu-isa-coverage

# ---- library ---------------------------------------------------------------
$(BUILD)/obj/src/%.o: src/%.c $(wildcard include/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -fvisibility=hidden -Iinclude -Isrc $(DRM_CFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	$(CC) -shared -Wl,--no-undefined -Wl,-soname,libamdbare.so.$(AMDBARE_SOVERSION) $(LDFLAGS_ALL) -o $@ $^ $(DRM_LIBS) -ldl -lpthread

AMDBARE_SOVERSION := 0

# ---- CLI -------------------------------------------------------------------
$(BUILD)/obj/tools/amdbare/%.o: tools/amdbare/%.c $(wildcard include/*.h tools/amdbare/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iinclude -Itools/amdbare -c $< -o $@

$(CLI): $(CLI_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB_A) $(DRM_LIBS) -ldl -lpthread -lm

# ---- virtual device (LD_PRELOAD) -------------------------------------------
# Deliberately no -Iinclude and no -Isrc: the vgpu shares no code with the
# library (see docs/ARCHITECTURE.md).  It only sees the kernel UAPI headers.
#
# Under SANITIZE=thread (check-tsan) the vgpu is built WITHOUT ThreadSanitizer.  Its instrumented mmap interposer is
# called by the TSan runtime while that runtime initialises (symbolizer
# setup), before instrumented code may run, and the process dies with SEGV
# at 0x600000000008.  The vgpu plays the kernel; TSan still checks the
# library and the tests, and still sees the vgpu's pthread calls (its
# interceptors are global).
VGPU_SANFLAGS := $(if $(filter thread,$(subst $(comma), ,$(SANITIZE))),,$(SANFLAGS))
$(BUILD)/obj/tools/vgpu/%.o: tools/vgpu/%.c $(wildcard tools/vgpu/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(WARN) $(VGPU_SANFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -Itools/vgpu $(DRM_CFLAGS) -c $< -o $@

$(VGPU_SO): $(VGPU_OBJ)
	$(CC) -shared -Wl,--no-undefined $(VGPU_SANFLAGS) $(LDFLAGS) -o $@ $^ -ldl -lpthread -lrt -lm

# make isa-coverage's table reader: the ISA and shader objects (resolvers
# only) and stubs of the command processor; no interposer.
COVERAGE := $(BUILD)/vgpu-isa-coverage
COVERAGE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/vgpu-isa-coverage/*.c)) $(ISA_OBJ) \
	$(filter $(BUILD)/obj/tools/vgpu/shader/%,$(VGPU_OBJ))
$(BUILD)/obj/tools/vgpu-isa-coverage/%.o: tools/vgpu-isa-coverage/%.c $(wildcard tools/vgpu/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itools/vgpu $(DRM_CFLAGS) -c $< -o $@
$(COVERAGE): $(COVERAGE_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lpthread -lm
# tests/test_aco.sh decodes ACO's shaders with it
tests: $(COVERAGE)

# The vgpu's instruction decoder as a stand-alone disassembler, so tests can
# hold it against llvm-objdump-19.  Links only the ISA objects: the libc
# interposers must never end up inside an ordinary executable.
$(BUILD)/obj/tools/vgpu-disasm/%.o: tools/vgpu-disasm/%.c $(wildcard tools/vgpu/isa/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itools/vgpu -c $< -o $@

$(DISASM): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/vgpu-disasm/*.c)) $(ISA_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lm

# ---- tests -----------------------------------------------------------------
$(BUILD)/obj/tests/%.o: tests/%.c $(wildcard include/*.h tests/*.h tests/support/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iinclude -Isrc -Itests -Itests/support $(DRM_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_SUPPORT_OBJ) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB_A) $(DRM_LIBS) -lcriterion -ldl -lpthread -lm

# ---- Vulkan compute suite (tests/vulkan, run by tests/test_vulkan.sh) -------
# A C harness over Mesa's RADV (libvulkan) and GLSL compute shaders compiled
# to SPIR-V by glslangValidator (glslang-tools); both come from
# tools/install-deps.sh.
VK_SRC   := $(sort $(wildcard tests/vulkan/*.c))
VK_OBJ   := $(VK_SRC:%.c=$(BUILD)/obj/%.o)
VK_SPV   := $(patsubst tests/vulkan/%.comp,$(BUILD)/vulkan/%.spv,$(sort $(wildcard tests/vulkan/*.comp)))
VK_BIN   := $(BUILD)/vulkan/vkcompute
tests: $(VK_BIN) $(VK_SPV)

# Built without SANITIZE: the harness is a client of Mesa's RADV (its own
# allocations, threads and exit-time leaks are Mesa's), and the sanitizers
# check the vgpu it runs on (the preloaded build-*/libamdbare-vgpu.so).
$(BUILD)/obj/tests/vulkan/%.o: tests/vulkan/%.c $(wildcard tests/vulkan/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(WARN) $(CFLAGS) -Itests/vulkan -c $< -o $@

$(VK_BIN): $(VK_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lvulkan -lm

$(BUILD)/vulkan/%.spv: tests/vulkan/%.comp
	@mkdir -p $(dir $@)
	glslangValidator -s -V --target-env vulkan1.2 $< -o $@

check: tests
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run-tests.sh vgpu

# ThreadSanitizer run of the threaded tests (test_*thread*).
check-tsan:
	$(MAKE) SANITIZE=thread OPT="-O1 -g" tests
	@BUILD=build-thread SANITIZE=thread ONLY=thread sh tests/run-tests.sh vgpu

# The library's test programs under valgrind memcheck (tests/run-memcheck.sh
# says which and why).
check-memcheck: tests
	@BUILD=$(BUILD) sh tests/run-memcheck.sh

# Benchmarks (not tests): each prints ratios against a baseline measured in
# the same run.
$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(TEST_SUPPORT_OBJ) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB_A) $(DRM_LIBS) -lcriterion -ldl -lpthread -lm

bench: all $(BENCH_BIN) $(VK_BIN) $(VK_SPV)
	@for b in $(BENCH_BIN); do echo "== $$b"; \
	  AMDBARE_VGPU_INSTANCE=bench-$$$$ LD_PRELOAD=$(abspath $(VGPU_SO)) $$b || exit 1; \
	  rm -f /dev/shm/amdbare-vgpu-bench-$$$$*; done
	@# callgrind instruction counts per dispatch.
	@echo "== tests/bench/bench_dispatch.sh"; sh tests/bench/bench_dispatch.sh $(BUILD)
	@# load throughput vs cp and numpy.fromfile.
	@echo "== tests/bench/bench_load.sh"; sh tests/bench/bench_load.sh $(BUILD)
	@# RADV vector add of 2^20 floats (goal: under 2 s).
	@echo "== tests/bench/bench_vulkan.sh"; sh tests/bench/bench_vulkan.sh $(BUILD)

check-hw: tests
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run-tests.sh hw

# The README's main job: on the real GPU when there is one, else the vgpu.
run: all
	@sh tools/run-main-job.sh $(BUILD)

# ---- install ---------------------------------------------------------------
# amdbare.h includes every public header (amdbare_alloc.h, amdbare_codeobj.h,
# amdbare_cmd.h...), so all of them are installed, not a fixed list.
PUBLIC_HEADERS := $(wildcard include/*.h)
install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/amdbare
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libamdbare.so.$(AMDBARE_SOVERSION)
	ln -sf libamdbare.so.$(AMDBARE_SOVERSION) $(DESTDIR)$(LIBDIR)/libamdbare.so
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(VGPU_SO) $(DESTDIR)$(LIBDIR)/amdbare/
	install -d $(DESTDIR)$(PYTHONDIR)/amdbare
	install -m 644 python/amdbare/*.py $(DESTDIR)$(PYTHONDIR)/amdbare/
	printf '# Written by make install: where the library and the CLI went.\nLIBDIR = "%s"\nBINDIR = "%s"\n' \
	    '$(LIBDIR)' '$(PREFIX)/bin' > $(DESTDIR)$(PYTHONDIR)/amdbare/_install_paths.py
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@VERSION@|$(AMDBARE_VERSION_MAJOR).$(AMDBARE_VERSION_MINOR)|g' \
	    amdbare.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/amdbare.pc

AMDBARE_VERSION_MAJOR := $(shell sed -n 's/^\#define AMDBARE_VERSION_MAJOR //p' include/amdbare.h)
AMDBARE_VERSION_MINOR := $(shell sed -n 's/^\#define AMDBARE_VERSION_MINOR //p' include/amdbare.h)

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libamdbare.a $(DESTDIR)$(LIBDIR)/libamdbare.so \
	      $(DESTDIR)$(LIBDIR)/libamdbare.so.$(AMDBARE_SOVERSION) \
	      $(addprefix $(DESTDIR)$(PREFIX)/,$(PUBLIC_HEADERS)) $(DESTDIR)$(PREFIX)/bin/amdbare \
	      $(DESTDIR)$(LIBDIR)/amdbare/libamdbare-vgpu.so $(DESTDIR)$(LIBDIR)/pkgconfig/amdbare.pc
	rm -rf $(DESTDIR)$(PYTHONDIR)/amdbare

clean:
	rm -rf build build-*
