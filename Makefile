# bpf2bpf-bench: one handler built several ways, loaded, sized and timed.
# Pipeline per variant (as libbpf-bootstrap): clang -target bpf -> bpftool gen
# object -> bpftool gen skeleton, the skeletons embedded in one binary.
#   make              build build/bpf2bpf-bench (installs missing deps as root)
#   make bench        every measurement method + report into results/<run>/
#   make test         unit tests (cmocka, ASan/UBSan) and integration tests
#   make static       statically linked binary for the VM kernel matrix
#   make compilers    every variant per clang x -mcpu x libbpf, one report
#   make sweep        the full scaling sweep (sweep.mk) into results/<run>/
#   make V=1          show the full commands

CLANG ?= clang
BPF_CPU ?= v3
BPFTOOL ?= bpftool
CC ?= cc
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BUILD := build
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

# The variant list comes from the table, so a variant is one file + one line.
VARIANTS := $(shell sed -n 's/^VARIANT.\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
# link_with of a variant: the second object `bpftool gen object` joins to it.
link_with = $(shell sed -n 's/^VARIANT.$(1), *[A-Z]*, *\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
LINK_PARTS := $(foreach v,$(VARIANTS),$(call link_with,$(v)))
# ext of a variant: an object of its own, loaded beside it at load time.
ext_of = $(shell sed -n 's/^VARIANT.$(1), *[A-Z]*, *[a-z0-9_-]*, *\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
EXT_PARTS := $(foreach v,$(VARIANTS),$(call ext_of,$(v)))
BPF_OBJS := $(patsubst %,$(BUILD)/%.bpf.o,$(VARIANTS) $(EXT_PARTS))
SKELS := $(patsubst %,$(BUILD)/%.skel.h,$(VARIANTS) $(EXT_PARTS))
BPF_HDRS := $(wildcard bpf/*.h variants/*.h)

# bench/<layer>/*.c: base (csv, stats, schema), kernel (libbpf-facing), storm
# (the socket hammer), methods (one file per measurement), report, cli.
BENCH_SRCS := $(wildcard bench/*/*.c)
LIB_SRCS := $(filter-out bench/cli/main.c,$(BENCH_SRCS))
OBJS := $(patsubst bench/%.c,$(BUILD)/obj/%.o,$(BENCH_SRCS))
ASAN_OBJS := $(patsubst bench/%.c,$(BUILD)/asan/%.o,$(BENCH_SRCS))
ASAN_LIB_OBJS := $(patsubst bench/%.c,$(BUILD)/asan/%.o,$(LIB_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

WARN := -Wall -Wextra -Wno-unused-parameter
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -I$(BUILD) -Ibench -Ibpf -Ivariants
# GSL: Student's t quantiles and p-values of the calls method's intervals.
LDLIBS := -lbpf -lelf -lz -ljson-c -lgsl -lgslcblas -lpthread -lm
STATIC_LDLIBS := -Wl,-Bstatic -lbpf -lelf -lz -lzstd -ljson-c -lgsl -lgslcblas -Wl,-Bdynamic -lpthread -lm
# LIBBPF_ROOT=DIR: the harness built against the libbpf-dev unpacked in DIR
# (scripts/toolchain/fetch-libbpf.sh) instead of the system's: its headers and
# its libbpf.a, in a BUILD directory of its own. The BPF objects keep the
# system's headers, so they do not change with it.
ifneq ($(LIBBPF_ROOT),)
LIBBPF_A := $(firstword $(wildcard $(LIBBPF_ROOT)/usr/lib/*/libbpf.a))
CFLAGS += -I$(LIBBPF_ROOT)/usr/include
LDLIBS := $(subst -lbpf,$(LIBBPF_A),$(LDLIBS))
STATIC_LDLIBS := $(subst -lbpf,$(LIBBPF_A),$(STATIC_LDLIBS))
LIBBPF_PKG ?= $(shell sed -n 's/^version=//p' $(LIBBPF_ROOT)/libbpf.env 2>/dev/null)
else
LIBBPF_PKG ?= $(shell dpkg-query -W -f='$${Version}' libbpf-dev 2>/dev/null)
endif
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

BPF_CFLAGS := -g -O2 -target bpf -mcpu=$(BPF_CPU) -D__TARGET_ARCH_$(ARCH) \
	-I$(BUILD) -Ibpf -Ivariants -Wall -Wno-unused-function

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
# Keep the intermediate objects (readable with llvm-objdump) without making
# every target intermediate, which would stop FORCE from forcing anything.
.SECONDARY: $(patsubst %,$(BUILD)/%.tmp.bpf.o,$(VARIANTS) $(LINK_PARTS) $(EXT_PARTS)) $(BPF_OBJS)
.PHONY: all bench test unit integration static clean deps report matrix compilers help FORCE

all: $(BUILD)/bpf2bpf-bench $(BPF_OBJS)

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

# Missing tools: installed on Debian/Ubuntu as root, else the command is printed.
$(BUILD)/.deps-$(CLANG): scripts/install-deps.sh | $(BUILD)
	$(call msg,DEPS,$(CLANG) libbpf libelf bpftool ...)
	$(Q)scripts/install-deps.sh $(CLANG)
	$(Q)touch $@
deps: $(BUILD)/.deps-$(CLANG)

$(BUILD) $(BUILD)/obj $(BUILD)/asan $(BUILD)/tests $(BUILD)/static:
	$(Q)mkdir -p $@

# vmlinux.h from the running kernel's BTF; a minimal CO-RE header otherwise.
$(BUILD)/vmlinux.h: | $(BUILD)/.deps-$(CLANG)
	$(call msg,GEN,$@)
	$(Q)if [ -r $(VMLINUX_BTF) ]; then \
		$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@; \
	else \
		echo "note: $(VMLINUX_BTF) not readable, using bpf/vmlinux-fallback.h" >&2; \
		cp bpf/vmlinux-fallback.h $@; \
	fi

# What the BPF side was built with, and the libbpf package the harness was
# built against, recorded in every result.
$(BUILD)/buildinfo.h: FORCE | $(BUILD)
	$(Q)printf '#define BPF2BPF_CLANG "%s"\n#define BPF2BPF_BPF_CPU "%s"\n#define BPF2BPF_BPFTOOL "%s"\n' \
		"$$($(CLANG) --version | head -n1)" "$(BPF_CPU)" \
		"$$($(BPFTOOL) version 2>/dev/null | head -n1)" > $@.new
	$(Q)printf '#define BPF2BPF_LIBBPF_PKG "%s"\n' "$(LIBBPF_PKG)" >> $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
FORCE:

# Rebuild BPF objects when the compiler or CPU version changes.
$(BUILD)/.bpf-flags: FORCE | $(BUILD)
	$(Q)echo '$(CLANG) $(BPF_CFLAGS)' > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

$(BUILD)/%.tmp.bpf.o: variants/%.bpf.c $(BPF_HDRS) $(BUILD)/vmlinux.h $(BUILD)/.bpf-flags
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# A variant with link_with: hooks and handler from two objects, joined by the
# static linker; every other variant (and an ext object) is its own object.
define variant_object
$(BUILD)/$(1).bpf.o: $(BUILD)/$(1).tmp.bpf.o $(patsubst %,$(BUILD)/%.tmp.bpf.o,$(call link_with,$(1)))
	$$(call msg,LINK,$$@)
	$$(Q)$$(BPFTOOL) gen object $$@ $$^
endef
$(foreach v,$(VARIANTS) $(EXT_PARTS),$(eval $(call variant_object,$(v))))

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name bpf2bpf_$* > $@

# Every skeleton, and per variant BPF2BPF_EXT_<name>: its ext object's bytes
# (NULL without one), for bench/kernel/variants.c.
$(BUILD)/skels.h: $(SKELS) variants/variants.def
	$(call msg,GEN,$@)
	$(Q)for v in $(VARIANTS) $(EXT_PARTS); do echo "#include \"$$v.skel.h\""; done > $@
	$(Q)$(foreach v,$(VARIANTS),echo '#define BPF2BPF_EXT_$(v) $(if $(call ext_of,$(v)),bpf2bpf_$(call ext_of,$(v))__elf_bytes,NULL)' >> $@;)

# ---- the calls method's objects (bpf/calls.bpf.h) ----
# Every variant compiled a second time with -DBPF2BPF_CALLS into objects of
# their own, so the objects above stay byte for byte what sizes and overhead
# load. Same recipe as a variant's: its link_with part joined by bpftool gen
# object (the part is the plain one: only the hooks change); an ext object
# is not part of it (the loader loads the variant's own beside it). A
# variant whose source names BPF2BPF_CALLS_ALT also gets an alternate object
# built with it (variants/global.bpf.c: arg:trusted where a kernel refuses
# arg:untrusted), tried when the first is refused.
CALLS_ALTS := $(patsubst variants/%.bpf.c,%,$(shell grep -l BPF2BPF_CALLS_ALT $(patsubst %,variants/%.bpf.c,$(VARIANTS))))
CALLS_NAMES := $(VARIANTS) $(patsubst %,%_alt,$(CALLS_ALTS))
.SECONDARY: $(patsubst %,$(BUILD)/calls/%.tmp.bpf.o,$(CALLS_NAMES)) $(patsubst %,$(BUILD)/calls/%.bpf.o,$(CALLS_NAMES))

$(BUILD)/calls/%_alt.tmp.bpf.o: variants/%.bpf.c $(BPF_HDRS) $(BUILD)/vmlinux.h $(BUILD)/.bpf-flags
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DBPF2BPF_CALLS -DBPF2BPF_CALLS_ALT -c $< -o $@

$(BUILD)/calls/%.tmp.bpf.o: variants/%.bpf.c $(BPF_HDRS) $(BUILD)/vmlinux.h $(BUILD)/.bpf-flags
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DBPF2BPF_CALLS -c $< -o $@

define calls_object
$(BUILD)/calls/$(1).bpf.o: $(BUILD)/calls/$(1).tmp.bpf.o $(patsubst %,$(BUILD)/%.tmp.bpf.o,$(call link_with,$(patsubst %_alt,%,$(1))))
	$$(call msg,LINK,$$@)
	$$(Q)$$(BPFTOOL) gen object $$@ $$^
endef
$(foreach v,$(CALLS_NAMES),$(eval $(call calls_object,$(v))))

$(BUILD)/calls/%.skel.h: $(BUILD)/calls/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name bpf2bpf_calls_$* > $@

# Every calls skeleton, and per variant BPF2BPF_CALLS_ALT_<name>: its
# alternate object's bytes (NULL without one), for bench/kernel/calls_objects.c.
$(BUILD)/calls_skels.h: $(patsubst %,$(BUILD)/calls/%.skel.h,$(CALLS_NAMES)) variants/variants.def
	$(call msg,GEN,$@)
	$(Q)for v in $(CALLS_NAMES); do echo "#include \"calls/$$v.skel.h\""; done > $@.new
	$(Q)$(foreach v,$(VARIANTS),echo '#define BPF2BPF_CALLS_ALT_$(v) $(if $(filter $(v),$(CALLS_ALTS)),bpf2bpf_calls_$(v)_alt__elf_bytes,NULL)' >> $@.new;)
	$(Q)mv $@.new $@

USER_DEPS := $(BUILD)/skels.h $(BUILD)/calls_skels.h $(BUILD)/buildinfo.h $(wildcard bench/*/*.h) bpf/conn_event.h variants/variants.def

$(BUILD)/obj/%.o: bench/%.c $(USER_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: bench/%.c $(USER_DEPS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SAN) -c $< -o $@

$(BUILD)/bpf2bpf-bench: $(OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/asan/bpf2bpf-bench: $(ASAN_OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) $^ $(LDLIBS) -o $@

# For the VM matrix: runs on a busybox initramfs with no shared libraries.
static: $(BUILD)/static/bpf2bpf-bench
$(BUILD)/static/bpf2bpf-bench: $(OBJS) | $(BUILD)/static
	$(call msg,STATIC,$@)
	$(Q)$(CC) $(CFLAGS) -static $^ -Wl,--start-group $(subst -Wl$(,)-Bstatic,,$(subst -Wl$(,)-Bdynamic,,$(STATIC_LDLIBS))) -Wl,--end-group -o $@
, := ,

$(BUILD)/tests/%: tests/unit/%.c $(ASAN_LIB_OBJS) | $(BUILD)/tests
	$(call msg,TEST-CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -Itests/unit $< $(ASAN_LIB_OBJS) $(LDLIBS) -lcmocka -o $@

unit: $(UNIT_TESTS)
	$(Q)tests/run-unit.sh $(UNIT_TESTS)

integration: $(BUILD)/asan/bpf2bpf-bench $(BUILD)/bpf2bpf-bench static
	$(Q)tests/run-all.sh tests/integration/test_*.sh

test: $(BUILD)/bpf2bpf-bench
	$(Q)tests/run-all.sh

bench: $(BUILD)/bpf2bpf-bench
	$(Q)$(BUILD)/bpf2bpf-bench bench $(BENCH_ARGS)

report: $(BUILD)/bpf2bpf-bench
	$(Q)test -n "$(RUN)" || { echo "usage: make report RUN=results/<run-dir>" >&2; exit 2; }
	$(Q)$(BUILD)/bpf2bpf-bench report $(RUN)

matrix: static $(BUILD)/bpf2bpf-bench
	$(Q)scripts/matrix.sh $(if $(KERNELS),--kernels "$(KERNELS)")

# The toolchain matrix: each build in build/tc/<clang>-<cpu>-libbpf-<ver>/,
# each running COMPILER_METHODS (bench --quick --only) into one
# results/compilers-<UTC>/, one column per clang x -mcpu x libbpf.
COMPILERS ?= clang-14 clang-16 clang-19
CPUS ?= v1 v2 v3 v4
LIBBPFS ?= system backports
COMPILER_METHODS ?= sizes calls
compilers: $(BUILD)/bpf2bpf-bench
	$(Q)scripts/compilers.sh --compilers "$(COMPILERS)" --cpus "$(CPUS)" --libbpfs "$(LIBBPFS)" \
		--methods "$(COMPILER_METHODS)" --host-bin $(BUILD)/bpf2bpf-bench

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

# The scaling sweep's generated objects and `make sweep`.
include sweep.mk
