// File: exclusive_listen.h
//
// The socket options for Homeward's cpp-httplib listeners (the web workspace, each service's
// operations endpoint): SO_REUSEADDR only. cpp-httplib's default also sets SO_REUSEPORT, with
// which a second process binds a port already in use and the kernel splits connections between
// the two (a workspace's sessions, or another service's scrapes and probes). A restart still
// rebinds at once; a port in use is an error.
//   server.set_socket_options(homeward::ListenExclusively);
#ifndef HOMEWARD_COMMON_EXCLUSIVE_LISTEN_H_
#define HOMEWARD_COMMON_EXCLUSIVE_LISTEN_H_

#include <sys/socket.h>

namespace homeward {

inline void ListenExclusively(int socket) {
  const int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace homeward

#endif  // HOMEWARD_COMMON_EXCLUSIVE_LISTEN_H_
