# The scaling sweep's BPF objects (the sweep method, bench/methods/sweep.c),
# included by the Makefile. Every object is generated from the one handler:
# scripts/sweep-gen.sh writes its source from its name,
# SHAPE-VARIANT-STYLE-sUNITS[-TAG] (bench/kernel/sweep_objects.h).
#
#   build/sweep/quick/  the quick grid's objects: embedded in the binary
#                       (bench/kernel/sweep_embedded.c), so `make` builds them
#   build/sweep/full/   the full grid's extra objects, files beside the binary:
#                       built by `make sweep` (or `make sweep-objects`) only
#   build/sweep/full-v4/ with SWEEP_LONG_CC=clang-19: the large call-site
#                       objects at -mcpu=v4 (below)
#   make sweep          the full grid into a new results/<run>/ with its report

SWEEP := $(BUILD)/sweep
SWEEP_GEN := scripts/sweep-gen.sh
SWEEP_BPF_HDRS := $(BPF_HDRS) $(wildcard variants/*.bpf.c)

# Which variants go on which axis, from variants/variants.def (table order),
# so a new variant is still one file and one line there: the reference and
# every CALL variant without a load-time extension (ext -, which the sweep's
# objects do not carry) on the call-site, loop and size axes; TAILCALL ones
# too on the programs axis (a tail call only shares its handler across
# programs). `make sweep-variants` prints the lists.
sweep_variants_of = $(shell sed -n 's/^VARIANT.\([a-z0-9_]*\), *\($(1)\), *[a-z0-9_-]*, *-,.*/\1/p' variants/variants.def)
SWEEP_CALL_VARIANTS := $(call sweep_variants_of,REFERENCE\|CALL)
SWEEP_LOOP_VARIANTS := $(SWEEP_CALL_VARIANTS)
SWEEP_PROG_VARIANTS := $(call sweep_variants_of,REFERENCE\|CALL\|TAILCALL)
SWEEP_STYLES := core btf
# Call sites per program of the quick objects (one object carries them all);
# handler-size units of the quick grid and the full grid's extra ones.
SWEEP_CALLS_QUICK := 1 2 4 8 16 32 64
SWEEP_UNITS_QUICK := 16
SWEEP_UNITS_FULL := 1 2 4 8 28 32
# Large call-site counts, one object each, no further than they tell
# something: compile time grows faster than N (clang 14: inline N=4096 122 s
# and 1.1 GB). With -mcpu < v4 inline's N=512 function passes 32767 insns,
# the others' at N=8192: branch-range rows, not verifier verdicts (at v4 the
# verifier refuses noinline and linked at 4097 sites, "too complex").
SWEEP_CALLS_FULL := 128 256 512 1024 2048 4096 8192
SWEEP_CALLS_FULL_INLINE := 128 256 512

sweep_calls := $(foreach v,$(SWEEP_CALL_VARIANTS),$(foreach s,$(SWEEP_STYLES),\
	calls-$(v)-$(s)-s0 $(foreach u,$(SWEEP_UNITS_QUICK),calls-$(v)-$(s)-s$(u))))
sweep_loops := $(foreach v,$(SWEEP_LOOP_VARIANTS),loop-$(v)-core-s0 bpfloop-$(v)-core-s0)
sweep_progs := $(foreach v,$(SWEEP_PROG_VARIANTS),progs-$(v)-core-s0)
SWEEP_QUICK_NAMES := $(sweep_calls) $(sweep_loops) $(sweep_progs)

# SWEEP_LONG_CC: a clang of 18 or later (e.g. clang-19), to build the large
# call-site objects with -mcpu=v4 instead, whose 32-bit jumps reach past 32767
# insns, so the verifier's own limits show: they go to build/sweep/full-v4
# (with a bpf-cpu file the sweep reads), further out, and replace the large
# -mcpu=$(BPF_CPU) ones. Loading them needs BPF ISA v4 (kernel 6.6+). Empty
# (the default): not built.
SWEEP_LONG_CC ?=
# clang 19: noinline N=16384 22 s, inline N=4096 37 s and 1.1 GB.
SWEEP_CALLS_LONG := 128 256 512 1024 2048 4096 8192 16384
SWEEP_CALLS_LONG_INLINE := 128 256 512 1024 2048 4096

sweep_big = $(foreach n,$(2),calls-$(1)-core-s0-n$(n))
sweep_bigs = $(call sweep_big,inline,$(1)) \
	$(foreach v,$(filter-out inline,$(SWEEP_CALL_VARIANTS)),$(call sweep_big,$(v),$(2)))
SWEEP_FULL_NAMES := \
	$(if $(SWEEP_LONG_CC),,$(call sweep_bigs,$(SWEEP_CALLS_FULL_INLINE),$(SWEEP_CALLS_FULL))) \
	$(foreach v,$(SWEEP_CALL_VARIANTS),$(foreach s,$(SWEEP_STYLES),\
		$(foreach u,$(SWEEP_UNITS_FULL),calls-$(v)-$(s)-s$(u)))) \
	$(foreach v,$(SWEEP_LOOP_VARIANTS),loop-$(v)-btf-s0 bpfloop-$(v)-btf-s0)
SWEEP_LONG_NAMES := $(if $(SWEEP_LONG_CC),$(call sweep_bigs,$(SWEEP_CALLS_LONG_INLINE),$(SWEEP_CALLS_LONG)))

SWEEP_QUICK_OBJS := $(patsubst %,$(SWEEP)/quick/%.bpf.o,$(SWEEP_QUICK_NAMES))
SWEEP_FULL_OBJS := $(patsubst %,$(SWEEP)/full/%.bpf.o,$(SWEEP_FULL_NAMES))
SWEEP_LONG_OBJS := $(patsubst %,$(SWEEP)/full-v4/%.bpf.o,$(SWEEP_LONG_NAMES))

# N of an object's programs: the quick list for calls-*-s0, the tag's N for
# the large ones, 2 call sites for the size axis (calls-*-sU).
sweep_ns = $(if $(filter calls-%-s0,$(1)),$(SWEEP_CALLS_QUICK),\
	$(if $(filter calls-%,$(1)),$(if $(findstring -s0-n,$(1)),$(lastword $(subst -s0-n, ,$(1))),2)))
# Large objects leave out the classic-tracepoint twins: half the compile time.
sweep_tp = $(if $(findstring -s0-n,$(1)),SWEEP_TRACEPOINT=0,SWEEP_TRACEPOINT=1)
# A hook object's link part (variants.def link_with), named after its style
# and units: link-PART-STYLE-sU, compiled in the same tmp directory ($(2)).
sweep_word = $(word $(2),$(subst -, ,$(1)))
sweep_link = $(foreach p,$(call link_with,$(call sweep_word,$(1),2)),\
	$(2)/link-$(p)-$(call sweep_word,$(1),3)-$(call sweep_word,$(1),4).tmp.bpf.o)

SWEEP_LINK_NAMES := $(foreach p,$(LINK_PARTS),$(foreach s,$(SWEEP_STYLES),\
	$(foreach u,0 $(SWEEP_UNITS_QUICK) $(SWEEP_UNITS_FULL),link-$(p)-$(s)-s$(u))))
.SECONDARY: $(patsubst %,$(SWEEP)/src/%.bpf.c,$(SWEEP_QUICK_NAMES) $(SWEEP_FULL_NAMES) $(SWEEP_LINK_NAMES)) \
	$(patsubst %,$(SWEEP)/tmp/%.tmp.bpf.o,$(SWEEP_QUICK_NAMES) $(SWEEP_FULL_NAMES) $(SWEEP_LINK_NAMES))

$(SWEEP)/src $(SWEEP)/tmp $(SWEEP)/quick $(SWEEP)/full:
	$(Q)mkdir -p $@

# Sources follow the generator; the quick calls objects also their list of N
# (every other object's N is in its name).
$(SWEEP)/.calls-quick: FORCE | $(SWEEP)/src
	$(Q)echo '$(SWEEP_CALLS_QUICK)' > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
$(patsubst %,$(SWEEP)/src/%.bpf.c,$(filter calls-%-s0,$(SWEEP_QUICK_NAMES))): $(SWEEP)/.calls-quick

# Replaced only when the text changes: an edit of the generator that writes
# the same source recompiles nothing (the large objects take minutes).
$(SWEEP)/src/%.bpf.c: $(SWEEP_GEN) | $(SWEEP)/src
	$(Q)$(call sweep_tp,$*) $(SWEEP_GEN) $* $(call sweep_ns,$*) > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# vmlinux.h and libbpf's headers precompiled once: a small object then
# compiles in about 60% of the time, to the same bytes.
$(SWEEP)/pch.h: | $(SWEEP)/src
	$(Q){ echo '#include "vmlinux.h"'; printf '#include <bpf/%s.h>\n' bpf_helpers \
		bpf_core_read bpf_tracing bpf_endian; } > $@
$(SWEEP)/pch.h.pch: $(SWEEP)/pch.h $(BUILD)/vmlinux.h $(BUILD)/.bpf-flags
	$(call msg,PCH,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -x c-header $< -o $@

$(SWEEP)/tmp/%.tmp.bpf.o: $(SWEEP)/src/%.bpf.c $(SWEEP_BPF_HDRS) $(SWEEP)/pch.h.pch | $(SWEEP)/tmp
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -include-pch $(SWEEP)/pch.h.pch -c $< -o $@

# Every object goes through the static linker as the variants' do; a variant
# with link_with is joined to its link part of the same style and units.
# (Two rules: one pattern rule with two targets would make both at once.)
.SECONDEXPANSION:
$(SWEEP)/quick/%.bpf.o: $(SWEEP)/tmp/%.tmp.bpf.o $$(call sweep_link,$$*,$(SWEEP)/tmp) | $(SWEEP)/quick
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^
$(SWEEP)/full/%.bpf.o: $(SWEEP)/tmp/%.tmp.bpf.o $$(call sweep_link,$$*,$(SWEEP)/tmp) | $(SWEEP)/full
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

# SWEEP_LONG_CC's objects: the same sources, its own flags (-mcpu=v4, no
# precompiled header: another compiler's would not do), its own tmp/.
SWEEP_LONG_CFLAGS = $(filter-out -mcpu=%,$(BPF_CFLAGS)) -mcpu=v4
$(SWEEP)/.long-flags: FORCE | $(SWEEP)/src
	$(Q)echo '$(SWEEP_LONG_CC) $(SWEEP_LONG_CFLAGS)' > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
$(SWEEP)/tmp-v4/%.tmp.bpf.o: $(SWEEP)/src/%.bpf.c $(SWEEP_BPF_HDRS) $(BUILD)/vmlinux.h $(SWEEP)/.long-flags
	$(call msg,BPF-V4,$@)
	$(Q)mkdir -p $(@D) && $(SWEEP_LONG_CC) $(SWEEP_LONG_CFLAGS) -c $< -o $@
$(SWEEP)/full-v4/%.bpf.o: $(SWEEP)/tmp-v4/%.tmp.bpf.o $$(call sweep_link,$$*,$(SWEEP)/tmp-v4) | $(SWEEP)/full-v4
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^
$(SWEEP)/full-v4:
	$(Q)mkdir -p $@
$(SWEEP)/full-v4/bpf-cpu: $(SWEEP)/.long-flags | $(SWEEP)/full-v4
	$(Q)printf 'v4\n# built by %s\n' "$$($(SWEEP_LONG_CC) --version | head -n1)" > $@
.SECONDARY: $(patsubst %,$(SWEEP)/tmp-v4/%.tmp.bpf.o,$(SWEEP_LONG_NAMES) $(SWEEP_LINK_NAMES))

# The quick objects inside the binary: sweep_embedded.c includes the
# generated .incbin table, and is rebuilt when an object or the list changes.
$(SWEEP)/.quick-list: FORCE | $(SWEEP)/src
	$(Q)echo '$(SWEEP_QUICK_NAMES)' > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
$(SWEEP)/embed.inc: scripts/sweep-embed.sh $(SWEEP_QUICK_OBJS) $(SWEEP)/.quick-list
	$(call msg,GEN,$@)
	$(Q)scripts/sweep-embed.sh $(SWEEP_QUICK_OBJS) > $@
$(BUILD)/obj/kernel/sweep_embedded.o $(BUILD)/asan/kernel/sweep_embedded.o: $(SWEEP)/embed.inc $(SWEEP_QUICK_OBJS)

# The full grid's objects. The grid reads whole directories: objects no
# longer listed are removed (full-v4/ entirely without SWEEP_LONG_CC).
sweep-objects: $(SWEEP_FULL_OBJS) $(if $(SWEEP_LONG_CC),$(SWEEP_LONG_OBJS) $(SWEEP)/full-v4/bpf-cpu)
	$(Q)for f in $(SWEEP)/full/*.bpf.o $(SWEEP)/full-v4/*.bpf.o; do \
		case " $(SWEEP_FULL_OBJS) $(SWEEP_LONG_OBJS) " in *" $$f "*) ;; *) rm -f "$$f" ;; esac; done
	$(Q)$(if $(SWEEP_LONG_CC),:,rm -rf $(SWEEP)/full-v4)

# The full grid (about a minute to run, once its objects are built) into a
# new run directory with its report: `bench --only sweep` with the full grid.
sweep: $(BUILD)/bpf2bpf-bench sweep-objects
	$(Q)BPF2BPF_SWEEP_GRID=full $(BUILD)/bpf2bpf-bench bench --only sweep $(BENCH_ARGS)

sweep-variants:
	@printf '%s\n' 'calls: $(SWEEP_CALL_VARIANTS)' 'loops: $(SWEEP_LOOP_VARIANTS)' \
		'progs: $(SWEEP_PROG_VARIANTS)'

.PHONY: sweep sweep-objects sweep-variants
