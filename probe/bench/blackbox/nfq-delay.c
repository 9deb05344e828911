/*
 * nfq-delay: holds every packet of one NFQUEUE for a fixed delay, then accepts it; at the end it
 * prints how long packets were really held. probe/bench/syn/nfq-delay.c with a timer of nanosecond
 * resolution (ppoll): that one sleeps in whole milliseconds, which is exact for one probe at a time
 * but releases packets up to 1 ms late when many arrive at random phases, as here. Used by
 * probe/bench/blackbox/run.sh where the kernel has no sch_netem.
 * Usage: nfq-delay QUEUE_NUM DELAY_MS RUN_SECONDS   (ends by itself after RUN_SECONDS, or on SIGTERM)
 * Build: gcc -O2 -o nfq-delay nfq-delay.c -lnetfilter_queue
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define RING 65536

static uint32_t ids[RING];
static int64_t arrived_at[RING];
static int64_t release_at[RING];
static unsigned head, tail;
static int64_t delay_ns;
static volatile sig_atomic_t stop;
static uint64_t held, passed;
static double held_sum_ms, held_max_ms;
#define BINS 10000 /* hold times in 10 us bins up to 100 ms, the last bin holds the rest */
static uint64_t bins[BINS];

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_term(int sig) {
    (void) sig;
    stop = 1;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void) msg;
    (void) data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (!ph) {
        return 0;
    }
    uint32_t id = ntohl(ph->packet_id);
    if (head - tail >= RING) { /* ring full: let it through undelayed rather than stall the queue */
        passed++;
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    int64_t t = now_ns();
    ids[head % RING] = id;
    arrived_at[head % RING] = t;
    release_at[head % RING] = t + delay_ns;
    head++;
    return 0;
}

static void release(struct nfq_q_handle *qh, int64_t t) {
    double ms = (t - arrived_at[tail % RING]) / 1e6;
    held++;
    held_sum_ms += ms;
    if (ms > held_max_ms) {
        held_max_ms = ms;
    }
    int bin = (int) (ms * 100);
    bins[bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin]++;
    nfq_set_verdict(qh, ids[tail % RING], NF_ACCEPT, 0, NULL);
    tail++;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS RUN_SECONDS\n", argv[0]);
        return 2;
    }
    int queue = atoi(argv[1]);
    delay_ns = (int64_t) (atof(argv[2]) * 1e6);
    int64_t end = now_ns() + (int64_t) atoi(argv[3]) * 1000000000LL;
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    struct nfq_handle *h = nfq_open();
    if (!h) { perror("nfq_open"); return 1; }
    struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
    if (!qh) { perror("nfq_create_queue"); return 1; }
    if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
    nfq_set_queue_maxlen(qh, RING);
    int fd = nfq_fd(h);
    char buf[65536];
    fprintf(stderr, "nfq-delay: queue %d, %.3f ms\n", queue, delay_ns / 1e6);
    while (!stop && now_ns() < end) {
        struct timespec timeout = {0, 100000000L};
        if (head != tail) {
            int64_t wait = release_at[tail % RING] - now_ns();
            if (wait < 0) {
                wait = 0;
            }
            timeout.tv_sec = wait / 1000000000LL;
            timeout.tv_nsec = wait % 1000000000LL;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (ppoll(&pfd, 1, &timeout, NULL) > 0) {
            for (int n = 0; n < 256; n++) {
                int len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (len < 0) {
                    break;
                }
                nfq_handle_packet(h, buf, len);
            }
        }
        int64_t t = now_ns();
        while (head != tail && release_at[tail % RING] <= t) {
            release(qh, t);
        }
    }
    int64_t t = now_ns();
    while (head != tail) { /* release what is held before leaving */
        release(qh, t);
    }
    nfq_destroy_queue(qh);
    nfq_close(h);
    double q[3] = {0.1, 0.5, 0.9}, at[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        uint64_t rank = (uint64_t) (q[k] * held), seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += bins[b];
            if (seen > rank) {
                at[k] = (b + 0.5) / 100.0;
                break;
            }
        }
    }
    printf("nfq-delay: %llu packets held (asked %.3f ms): mean %.3f ms, median %.3f, p10 %.3f, p90 %.3f, max %.3f;"
           " %llu passed undelayed\n",
           (unsigned long long) held, delay_ns / 1e6, held ? held_sum_ms / held : 0.0, at[1], at[0], at[2],
           held_max_ms, (unsigned long long) passed);
    return 0;
}
