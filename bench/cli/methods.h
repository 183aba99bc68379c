/* The method table (methods.c): every measurement method, in the order
 * `make bench` runs them and the report shows them. */
#ifndef BPF2BPF_CLI_METHODS_H
#define BPF2BPF_CLI_METHODS_H

#include "methods/method.h"

extern const struct method_set all_methods;

#endif
