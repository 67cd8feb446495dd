/* The floor under any HTTP server on this machine: a process per connection that answers
 * every read with one fixed, small HTTP/1.1 response, with no parsing, routing, JSON or
 * database. What wrk measures against it is the loopback round trip through the kernel and
 * wrk itself; what `locus serve` takes beyond it is what Locus's server stack adds.
 * Built and run by run.sh:  cc -O2 floor.c -o floor && ./floor PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0, one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) {
        perror("floor");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);
    printf("listening on %d\n", ntohs(address.sin_port));
    fflush(stdout);
    signal(SIGCHLD, SIG_IGN);
    const char *body = "{\"server\":\"floor\",\"version\":\"0.0.0\",\"license\":\"none\"}";
    char response[256], buffer[16384];
    int size = snprintf(response, sizeof response,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                        strlen(body), body);
    for (;;) {
        int connection = accept(listener, NULL, NULL);
        if (connection < 0) continue;
        if (fork() == 0) {
            setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            while (read(connection, buffer, sizeof buffer) > 0) {
                if (write(connection, response, size) != size) break;
            }
            _exit(0);
        }
        close(connection);
    }
}
