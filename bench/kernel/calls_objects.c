/* The calls objects' table; see calls_objects.h. */
#include "kernel/calls_objects.h"

#include "calls_skels.h"

/* Variadic: the table's other columns are not needed here. */
#define VARIANT(n, ...) {bpf2bpf_calls_##n##__elf_bytes, BPF2BPF_CALLS_ALT_##n},
const struct calls_object calls_objects[] = {
#include "variants.def"
};
#undef VARIANT
const size_t ncalls_objects = sizeof(calls_objects) / sizeof(calls_objects[0]);

const struct attach_mode calls_synthetic_mode = {
	"synthetic", "sy_",
	"tp_btf/bpf_trigger_tp fired by a raw_tp driver calling bpf_modify_return_test_tp()",
};
