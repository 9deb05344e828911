/*
 * Fixed added latency without sch_netem: holds every packet of one NFQUEUE for DELAY_MS, then
 * accepts it. Packets leave in arrival order, so the delay is the same for each.
 * Usage: nfq-delay QUEUE_NUM DELAY_MS   (prints "ready" once bound; SIGTERM releases what it holds)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_HELD 4096

struct held {
    uint32_t id;
    uint64_t due_ns;
};

static struct held ring[MAX_HELD];
static unsigned head, tail;
static uint64_t delay_ns;
static volatile sig_atomic_t stopping;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void) msg;
    (void) data;
    uint32_t id = ntohl(nfq_get_msg_packet_hdr(nfa)->packet_id);
    if (tail - head >= MAX_HELD) {
        /* Full: let it pass now rather than stall the queue. */
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    ring[tail % MAX_HELD] = (struct held) {id, now_ns() + delay_ns};
    tail++;
    return 0;
}

static void release_due(struct nfq_q_handle *qh, uint64_t now) {
    while (head != tail && ring[head % MAX_HELD].due_ns <= now) {
        nfq_set_verdict(qh, ring[head % MAX_HELD].id, NF_ACCEPT, 0, NULL);
        head++;
    }
}

static void on_term(int sig) {
    (void) sig;
    stopping = 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS\n", argv[0]);
        return 2;
    }
    int queue = atoi(argv[1]);
    delay_ns = (uint64_t) atoll(argv[2]) * 1000000u;
    struct nfq_handle *h = nfq_open();
    if (!h || nfq_bind_pf(h, AF_INET) < 0) {
        perror("nfq_open");
        return 1;
    }
    struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t) queue, &on_packet, NULL);
    if (!qh || nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
        perror("nfq_create_queue");
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int fd = nfq_fd(h);
    char buf[65536] __attribute__((aligned));
    printf("ready\n");
    fflush(stdout);
    while (!stopping) {
        struct timespec wait = {1, 0};
        if (head != tail) {
            uint64_t now = now_ns(), due = ring[head % MAX_HELD].due_ns;
            uint64_t left = due > now ? due - now : 0;
            wait.tv_sec = (time_t) (left / 1000000000u);
            wait.tv_nsec = (long) (left % 1000000000u);
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = ppoll(&p, 1, &wait, NULL);
        if (n < 0 && errno != EINTR) {
            perror("ppoll");
            break;
        }
        if (n > 0 && (p.revents & POLLIN)) {
            ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (len > 0) {
                nfq_handle_packet(h, buf, (int) len);
            }
        }
        release_due(qh, now_ns());
    }
    release_due(qh, UINT64_MAX);
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
