# Cross-compiling for 64-bit ARM Linux with Debian's toolchain
# (g++-aarch64-linux-gnu) against multiarch arm64 -dev packages, which live
# in /usr/lib/aarch64-linux-gnu. Test binaries run under qemu-user.
# Used by cmake/aarch64.sh (`./run aarch64`).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Libraries and packages only from the arm64 tree; programs from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)
# The arm64 loader and libraries come from the multiarch packages
# (/lib/ld-linux-aarch64.so.1, /usr/lib/aarch64-linux-gnu).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
