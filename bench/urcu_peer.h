/* SPDX-License-Identifier: MIT */
/* bench/urcu_peer.h - liburcu's memb flavour, measured for bench_rcu (bench/urcu_peer.c). */
#ifndef _BENCH_URCU_PEER_H
#define _BENCH_URCU_PEER_H

/* ns per urcu_memb_read_lock+unlock pair (inline), the calling thread registered. */
double urcu_peer_read_pair_ns(long n);
/* us per urcu_memb_synchronize_rcu, with @readers threads reading in a loop. */
double urcu_peer_grace_us(int readers, long n);

#endif /* _BENCH_URCU_PEER_H */
