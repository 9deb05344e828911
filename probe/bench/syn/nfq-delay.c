/*
 * nfq-delay: holds every packet of one NFQUEUE for a fixed delay, then accepts it.
 * This kernel has no sch_netem; this gives the benchmark a fixed, known extra RTT.
 * Usage: nfq-delay QUEUE_NUM DELAY_MS RUN_SECONDS   (ends by itself after RUN_SECONDS)
 * Build: gcc -O2 -o nfq-delay nfq-delay.c -lnetfilter_queue
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RING 65536

static uint32_t ids[RING];
static int64_t release_at[RING];
static unsigned head, tail;
static int64_t delay_ns;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
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
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    ids[head % RING] = id;
    release_at[head % RING] = now_ns() + delay_ns;
    head++;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS RUN_SECONDS\n", argv[0]);
        return 2;
    }
    int queue = atoi(argv[1]);
    delay_ns = (int64_t) (atof(argv[2]) * 1e6);
    int64_t end = now_ns() + (int64_t) atoi(argv[3]) * 1000000000LL;
    struct nfq_handle *h = nfq_open();
    if (!h) { perror("nfq_open"); return 1; }
    struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
    if (!qh) { perror("nfq_create_queue"); return 1; }
    if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
    nfq_set_queue_maxlen(qh, RING);
    int fd = nfq_fd(h);
    char buf[65536];
    fprintf(stderr, "nfq-delay: queue %d, %.3f ms\n", queue, delay_ns / 1e6);
    while (now_ns() < end) {
        int timeout_ms = 100;
        if (head != tail) {
            int64_t wait = release_at[tail % RING] - now_ns();
            timeout_ms = wait <= 0 ? 0 : (int) ((wait + 999999) / 1000000);
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, timeout_ms) > 0) {
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
            nfq_set_verdict(qh, ids[tail % RING], NF_ACCEPT, 0, NULL);
            tail++;
        }
    }
    while (head != tail) { /* release what is held before leaving */
        nfq_set_verdict(qh, ids[tail % RING], NF_ACCEPT, 0, NULL);
        tail++;
    }
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
