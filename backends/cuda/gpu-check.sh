#!/usr/bin/env bash
# Runs the CUDA test suite and a short benchmark on a machine with an NVIDIA GPU but no build tools (and maybe
# no Java). See docs/gpu.md for what has and has not run on a GPU.
#
#   backends/cuda/gpu-check.sh prepare   # on the build machine, from the repository root: builds
#                                        # backends/cuda/target/gpu-bundle (jars + a jlink runtime)
#   backends/cuda/gpu-check.sh run       # on the GPU machine, from the repository root, with the bundle
#
# The bundle holds the test class path (this build's modules as jars, freshly compiled) and JavaCPP's CUDA JNI
# glue, org.bytedeco:cuda:<cuda.version>:linux-x86_64, resolved through Maven. The CUDA libraries themselves
# (libcuda.so.1 from the driver, libcudart, cuBLAS, NVRTC) are taken from the GPU machine.
set -euo pipefail

BUNDLE=backends/cuda/target/gpu-bundle

prepare() {
    local cp_file="$PWD/backends/cuda/target/cp.txt"
    # one invocation, so the reactor's modules resolve to their freshly compiled classes, not to older jars
    # that a past `mvn install` may have left in the local repository
    mvn -o -q -B -pl backends/cuda -am test-compile dependency:build-classpath -DskipTests \
        -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
    rm -rf "$BUNDLE"
    mkdir -p "$BUNDLE/lib"
    tr ":" "\n" < "$cp_file" | while read -r entry || [ -n "$entry" ]; do
        case "$entry" in
            # native jars for other platforms are dead weight on a linux-x86_64 GPU machine
            *-android-*|*-ios-*|*-macosx-*|*-windows-*|*-linux-arm*|*-linux-ppc64le*|*-linux-x86.jar|*-linux-riscv64*) ;;
            *.jar) cp "$entry" "$BUNDLE/lib/" ;;
            */target/classes) (cd "$entry" && jar cf "$OLDPWD/$BUNDLE/lib/janus-$(basename "$(dirname "$(dirname "$entry")")")-classes.jar" .) ;;
        esac
    done
    (cd backends/cuda/target/classes && jar cf "../../../../$BUNDLE/lib/janus-backend-cuda.jar" .)
    (cd backends/cuda/target/test-classes && jar cf "../../../../$BUNDLE/lib/janus-backend-cuda-tests.jar" .)
    local version
    version=$(sed -n 's:.*<cuda.version>\(.*\)</cuda.version>.*:\1:p' pom.xml)
    mvn -o -q -B dependency:copy -Dartifact="org.bytedeco:cuda:$version:jar:linux-x86_64" \
        -DoutputDirectory="$BUNDLE/lib"
    jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.httpserver,jdk.zipfs \
        --strip-debug --no-header-files --no-man-pages --compress=2 --output "$BUNDLE/jre"
    tar -C backends/cuda/target -czf backends/cuda/target/gpu-bundle.tar.gz gpu-bundle
    echo "bundle: backends/cuda/target/gpu-bundle.tar.gz ($(du -h backends/cuda/target/gpu-bundle.tar.gz | cut -f1))"
}

# Directories holding CUDA shared libraries: the driver's, a toolkit's, and those of the Python nvidia-*
# wheels: CUDA 12 wheels use nvidia/<package>/lib (cuda_nvrtc, cublas, ...), CUDA 13 wheels one nvidia/cu13/lib.
# NOTE: pip into a system Python (Debian, Ubuntu) installs into dist-packages, a venv or conda into
# site-packages; wheels on another file system than / are found by asking python3 where its nvidia package is.
cuda_lib_dirs() {
    {
        ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1/ {print $NF}' | xargs -r -n1 dirname
        ls -d /usr/local/cuda*/lib64 2>/dev/null || true
        if [ -n "${CUDA_HOME:-}" ] && [ -d "$CUDA_HOME/lib64" ]; then echo "$CUDA_HOME/lib64"; fi
        find / -xdev \( -path '*/site-packages/nvidia/*/lib' -o -path '*/dist-packages/nvidia/*/lib' \) -type d \
            2>/dev/null || true
        if command -v python3 >/dev/null 2>&1; then
            python3 -c 'import os, nvidia
for p in nvidia.__path__:
    for d in sorted(os.listdir(p)):
        if os.path.isdir(os.path.join(p, d, "lib")): print(os.path.join(p, d, "lib"))' 2>/dev/null || true
        fi
    } | sort -u | paste -sd: -
}

# Where each library the JNI glue of the CUDA 13 preset needs was found, so a missing one shows before Java runs.
report_libs() {
    local dirs=$1 lib found d
    for lib in libcuda.so.1 libcudart.so.13 libnvrtc.so.13 'libnvrtc-builtins.so.13.*' libcublas.so.13 libcublasLt.so.13; do
        found=""
        for d in ${dirs//:/ }; do
            # shellcheck disable=SC2086 # the builtins' name is a pattern
            found=$(ls $d/$lib 2>/dev/null | head -1) && [ -n "$found" ] && break
        done
        echo "  $lib: ${found:-NOT FOUND}"
    done
}

run() {
    [ -d "$BUNDLE" ] || tar -C backends/cuda/target -xzf backends/cuda/target/gpu-bundle.tar.gz
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
    local dirs
    dirs=$(cuda_lib_dirs)
    echo "CUDA library directories: ${dirs:-none found}"
    report_libs "$dirs"
    export LD_LIBRARY_PATH="${dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    local java=java
    [ -x "$BUNDLE/jre/bin/java" ] && java="$BUNDLE/jre/bin/java"
    local status=0
    # the codegen tests (g++ and nvcc) skip with a reason where those tools are missing
    timeout 360 "$java" -Djava.library.path="$dirs" -cp "$BUNDLE/lib/*" dev.janus.backend.cuda.GpuSuiteMain || status=$?
    timeout 90 "$java" -Djava.library.path="$dirs" -cp "$BUNDLE/lib/*" dev.janus.backend.cuda.GpuBenchMain || status=$((status == 0 ? $? : status))
    return "$status"
}

case "${1:-}" in
    prepare) prepare ;;
    run) run ;;
    *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
