/*
 * An outside CALCULATE MATH/1.1 client for interoperability tests, written from docs/PROTOCOL.md only:
 * the seed's request sent with sendto(MSG_FASTOPEN), the response read until its empty line, then
 * TCP_INFO says whether the request travelled in the SYN. One line per connection:
 *   "<status line> | <result line> | syn-data acked|not-acked"
 *
 *   tfo_peer_client ADDR PORT CONNECTIONS
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static const char REQUEST[] = "CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n\n";

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s ADDR PORT CONNECTIONS\n", argv[0]);
        return 2;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &addr.sin_addr);
    for (int c = atoi(argv[3]); c > 0; c--) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (sendto(fd, REQUEST, sizeof REQUEST - 1, MSG_FASTOPEN, (struct sockaddr *)&addr, sizeof addr) < 0) {
            perror("sendto");
            return 1;
        }
        char buf[1024] = "";
        size_t used = 0;
        while (strstr(buf, "\n\n") == NULL) {
            ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
            if (n <= 0) { fprintf(stderr, "recv: connection closed\n"); return 1; }
            used += n;
            buf[used] = 0;
        }
        struct tcp_info info;
        socklen_t il = sizeof info;
        getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &il);
        char *first = strtok(buf, "\n"), *second = strtok(NULL, "\n");
        printf("%s | %s | syn-data %s\n", first, second ? second : "",
               (info.tcpi_options & TCPI_OPT_SYN_DATA) ? "acked" : "not-acked");
        fflush(stdout);
        close(fd);
    }
    return 0;
}
