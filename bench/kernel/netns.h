/* A private network namespace for the storm, so that only the harness's own
 * connections reach the programs' counters (other processes may make TCP
 * connections at any time). */
#ifndef BPF2BPF_NETNS_H
#define BPF2BPF_NETNS_H

#include <stdint.h>

/* Move the calling process into a new, anonymous network namespace with lo
 * up. It disappears by itself when the last process in it exits: nothing to
 * clean up, even after SIGKILL. Returns its inode number (what BPF programs
 * see as sk->__sk_common.skc_net.net->ns.inum), or 0 with errno set. Must be
 * called before any thread is started. */
uint32_t netns_enter_private(void);
/* Inode of the current network namespace, 0 on error. */
uint32_t netns_current_inode(void);

#endif
