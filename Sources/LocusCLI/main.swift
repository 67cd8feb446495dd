// Entry point of the `locus` executable.

#if canImport(Glibc)
import Glibc
#endif

exit(Commands.run(Array(CommandLine.arguments.dropFirst())))
