// Entry point of the `locus` executable.

#if canImport(Glibc)
import Glibc
#endif

// A parent may have started us with termination signals blocked (threads of test runners and
// supervisors often block them, and children inherit the mask): `locus serve` must still stop
// when asked to.
var termination = sigset_t()
sigemptyset(&termination)
for s in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&termination, s) }
sigprocmask(SIG_UNBLOCK, &termination, nil)

exit(CommandRunner.run(Array(CommandLine.arguments.dropFirst())))
