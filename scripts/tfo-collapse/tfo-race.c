/*
 * tfo-race: the smallest client/server pair that shows a TCP Fast Open server's first data segment overtaking
 * its own SYN-ACK (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md). No JVM, no libraries: what it does is what the
 * tfo-bench native transport does, one system call for another.
 *
 *   tfo-race server ADDR CPU THREADS TFO_QUEUE NODELAY DELAY_US WAIT_ESTABLISHED CC
 *       listens on ADDR (IPv4 or IPv6), port chosen by the kernel, prints "port N". TFO_QUEUE > 0 sets
 *       TCP_FASTOPEN (the queue of fast open requests not yet acknowledged). THREADS threads block in accept()
 *       on the one listener; each reads one request up to its empty line, waits DELAY_US microseconds
 *       (0: answers at once), or with WAIT_ESTABLISHED = 1 until TCP_INFO says the connection left SYN_RECV,
 *       answers and serves the connection until the client closes it.
 *   tfo-race client ADDR PORT CPU THREADS RATE DURATION_S WARMUP_S HANDSHAKE NODELAY CC STALL_MS
 *       starts RATE connections a second on a fixed schedule (connection i is due at t0 + i / RATE, THREADS
 *       threads take them round-robin, each blocking on its connection), each carrying one request:
 *       HANDSHAKE tfo (sendto MSG_FASTOPEN), tfo-connect (TCP_FASTOPEN_CONNECT, connect, send) or cold
 *       (connect, send). One cookie-fetching exchange runs first, unmeasured. Prints one line of key=value:
 *       connections measured, errors, stalls (connections that took longer than STALL_MS), SYN data acked
 *       (TCP_INFO), latency percentiles and the rate achieved.
 *
 * CPU -1: not pinned. NODELAY 0/1: TCP_NODELAY on every socket. CC "-": the namespace's default congestion
 * control, else setsockopt(TCP_CONGESTION) on the listener (its connections inherit it) and the client sockets.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#define STATE_SYN_RECV 3 /* TCP_SYN_RECV in the kernel's enum */

static const char REQUEST[] =
    "CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n\n";
static const char RESPONSE[] = "MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n";

static void die(const char *what) {
    fprintf(stderr, "tfo-race: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(long long deadline) {
    struct timespec ts = {.tv_sec = deadline / 1000000000LL, .tv_nsec = deadline % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static struct sockaddr_storage address;
static socklen_t address_len;

static void resolve(const char *text, int port) {
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM}, *res;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(text, service, &hints, &res) != 0) {
        fprintf(stderr, "tfo-race: not a numeric IPv4 or IPv6 address: %s\n", text);
        exit(2);
    }
    memcpy(&address, res->ai_addr, res->ai_addrlen);
    address_len = res->ai_addrlen;
    freeaddrinfo(res);
}

static void options(int fd, int nodelay, const char *cc) {
    if (nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay)) die("TCP_NODELAY");
    if (strcmp(cc, "-") != 0 && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc))) die("TCP_CONGESTION");
}

/* ---------- server ---------- */

static int listen_fd, server_cpu, delay_us, wait_established;

static void *serve(void *unused) {
    (void)unused;
    pin(server_cpu);
    prctl(PR_SET_TIMERSLACK, 1UL); /* a DELAY_US sleep ends on time, not up to 50 us late */
    char buf[1024];
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN) continue;
            return NULL;
        }
        size_t used = 0;
        for (;;) {
            ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
            if (n <= 0) break;
            used += n;
            buf[used] = 0;
            char *end = strstr(buf, "\n\n");
            if (end == NULL) {
                if (used == sizeof buf - 1) break;
                continue;
            }
            if (wait_established) {
                struct tcp_info info;
                socklen_t il = sizeof info;
                long long give_up = now_ns() + 1000000000LL;
                while (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &il) == 0 && info.tcpi_state == STATE_SYN_RECV
                       && now_ns() < give_up)
                    sched_yield();
            }
            if (delay_us > 0) sleep_until(now_ns() + delay_us * 1000LL);
            send(fd, RESPONSE, sizeof RESPONSE - 1, MSG_NOSIGNAL);
            size_t consumed = (size_t)(end + 2 - buf);
            memmove(buf, end + 2, used - consumed);
            used -= consumed;
        }
        close(fd);
    }
}

static int run_server(char **a) {
    resolve(a[0], 0);
    server_cpu = atoi(a[1]);
    int threads = atoi(a[2]), queue = atoi(a[3]), nodelay = atoi(a[4]);
    delay_us = atoi(a[5]);
    wait_established = atoi(a[6]);
    pin(server_cpu);
    listen_fd = socket(address.ss_family, SOCK_STREAM, 0);
    int one = 1;
    if (listen_fd < 0) die("socket");
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    options(listen_fd, nodelay, a[7]); /* accepted sockets inherit both */
    if (queue > 0 && setsockopt(listen_fd, IPPROTO_TCP, TCP_FASTOPEN, &queue, sizeof queue)) die("TCP_FASTOPEN");
    if (bind(listen_fd, (struct sockaddr *)&address, address_len) || listen(listen_fd, 4096)) die("listen");
    socklen_t len = sizeof address;
    if (getsockname(listen_fd, (struct sockaddr *)&address, &len)) die("getsockname");
    int port = ntohs(address.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&address)->sin6_port
                                                   : ((struct sockaddr_in *)&address)->sin_port);
    printf("port %d\n", port);
    fflush(stdout);
    pthread_t t;
    for (int i = 1; i < threads; i++) pthread_create(&t, NULL, serve, NULL);
    serve(NULL);
    return 0;
}

/* ---------- client ---------- */

static const char *handshake, *cc;
static int client_cpu, nodelay, threads;
static long long t0, measured_start, total, warmup_count, stall_ns;
static double interval_ns;
static long long *service; /* per measured connection, ns; -1 = failed */
static atomic_long errors, stalls, acked, late;
static atomic_llong last_end;

/* One connection, one request; returns the time it took or -1, sets *syn_data_acked. */
static long long exchange(int *syn_data_acked) {
    int fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct timeval timeout = {.tv_sec = 5, .tv_usec = 0};
    if (fd < 0) return -1;
    options(fd, nodelay, cc);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    long long start = now_ns();
    ssize_t sent;
    if (strcmp(handshake, "tfo") == 0) {
        sent = sendto(fd, REQUEST, sizeof REQUEST - 1, MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&address,
                      address_len);
    } else {
        int one = 1;
        if (strcmp(handshake, "tfo-connect") == 0)
            setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one);
        sent = connect(fd, (struct sockaddr *)&address, address_len) ? -1
                                                                      : send(fd, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL);
    }
    char buf[256];
    size_t used = 0;
    while (sent == sizeof REQUEST - 1 && used < sizeof RESPONSE - 1) {
        ssize_t n = recv(fd, buf + used, sizeof buf - used, 0);
        if (n <= 0) break;
        used += n;
    }
    long long took = now_ns() - start;
    struct tcp_info info;
    socklen_t il = sizeof info;
    *syn_data_acked = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &il) == 0
                      && (info.tcpi_options & TCPI_OPT_SYN_DATA) != 0;
    close(fd);
    return used == sizeof RESPONSE - 1 && memcmp(buf, RESPONSE, used) == 0 ? took : -1;
}

static void *work(void *arg) {
    long first = (long)arg;
    pin(client_cpu);
    prctl(PR_SET_TIMERSLACK, 1UL);
    for (long long i = first; i < total; i += threads) {
        long long intended = t0 + (long long)(i * interval_ns);
        sleep_until(intended);
        long long start = now_ns();
        int syn_data_acked;
        long long took = exchange(&syn_data_acked);
        if (i < warmup_count) continue;
        long long end = start + (took < 0 ? 0 : took);
        service[i - warmup_count] = took;
        if (took < 0) {
            atomic_fetch_add(&errors, 1);
            continue;
        }
        if (took > stall_ns) atomic_fetch_add(&stalls, 1);
        if (syn_data_acked) atomic_fetch_add(&acked, 1);
        if (start - intended > 1000000) atomic_fetch_add(&late, 1);
        long long seen = atomic_load(&last_end);
        while (end > seen && !atomic_compare_exchange_weak(&last_end, &seen, end)) {
        }
    }
    return NULL;
}

static int compare(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int run_client(char **a) {
    resolve(a[0], atoi(a[1]));
    client_cpu = atoi(a[2]);
    threads = atoi(a[3]);
    double rate = atof(a[4]), duration = atof(a[5]), warmup = atof(a[6]);
    handshake = a[7];
    nodelay = atoi(a[8]);
    cc = a[9];
    stall_ns = atoll(a[10]) * 1000000LL;
    if (threads < 1 || rate <= 0 || duration <= 0 || warmup < 0) {
        fprintf(stderr, "tfo-race: THREADS, RATE and DURATION must be positive, WARMUP not negative\n");
        return 2;
    }
    if (strcmp(handshake, "tfo") && strcmp(handshake, "tfo-connect") && strcmp(handshake, "cold")) {
        fprintf(stderr, "tfo-race: HANDSHAKE is tfo, tfo-connect or cold, not %s\n", handshake);
        return 2;
    }
    pin(client_cpu);
    int acked_first;
    if (exchange(&acked_first) < 0) die("first exchange (cookie)");
    interval_ns = 1e9 / rate;
    warmup_count = (long long)(warmup * rate);
    long long measured = (long long)(duration * rate);
    total = warmup_count + measured;
    service = malloc(measured * sizeof *service);
    if (service == NULL) die("malloc");
    t0 = now_ns() + 100000000LL;
    measured_start = t0 + (long long)(warmup_count * interval_ns);
    pthread_t *workers = malloc(threads * sizeof *workers);
    for (long k = 0; k < threads; k++) pthread_create(&workers[k], NULL, work, (void *)k);
    for (int k = 0; k < threads; k++) pthread_join(workers[k], NULL);

    long long *ok = malloc(measured * sizeof *ok), n = 0;
    for (long long i = 0; i < measured; i++)
        if (service[i] >= 0) ok[n++] = service[i];
    qsort(ok, n, sizeof *ok, compare);
#define PCT(p) (n ? ok[(long long)((p) / 100.0 * (n - 1) + 0.5)] / 1000.0 : 0.0)
    double elapsed = (last_end - measured_start) / 1e9;
    printf("handshake=%s connections=%lld completed=%lld errors=%ld stalls=%ld stall_ms=%lld syn_data_acked=%ld "
           "late_starts=%ld p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f target_rate=%.0f achieved_rate=%.0f\n",
           handshake, measured, n, atomic_load(&errors), atomic_load(&stalls), stall_ns / 1000000, atomic_load(&acked),
           atomic_load(&late), PCT(50), PCT(99), PCT(99.9), n ? ok[n - 1] / 1000.0 : 0.0, rate,
           elapsed > 0 ? n / elapsed : 0.0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 10 && strcmp(argv[1], "server") == 0) return run_server(argv + 2);
    if (argc == 13 && strcmp(argv[1], "client") == 0) return run_client(argv + 2);
    fprintf(stderr, "usage: tfo-race server ADDR CPU THREADS TFO_QUEUE NODELAY DELAY_US WAIT_ESTABLISHED CC\n"
                    "       tfo-race client ADDR PORT CPU THREADS RATE DURATION_S WARMUP_S tfo|tfo-connect|cold "
                    "NODELAY CC STALL_MS\n");
    return 2;
}
