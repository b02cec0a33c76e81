#!/usr/bin/env bash
# Runs the CUDA test suite on a machine with an NVIDIA GPU but no build tools (and maybe no Java).
# PREPARED BUT UNVERIFIED: it has not yet run on a GPU machine; see docs/gpu.md.
#
#   backends/cuda/gpu-check.sh prepare   # on the build machine, from the repository root: builds
#                                        # backends/cuda/target/gpu-bundle (jars + a jlink runtime)
#   backends/cuda/gpu-check.sh run       # on the GPU machine, from the repository root, with the bundle
#
# The bundle needs one jar the build does not fetch: JavaCPP's CUDA JNI glue,
# org.bytedeco:cuda:<cuda.version>:linux-x86_64 (the "-linux-x86_64.jar"). Put it in
# backends/cuda/target/gpu-bundle/lib/ before copying the bundle; without it every CUDA test skips with
# "no jnicudart in java.library.path". The CUDA libraries themselves (libcuda.so.1 from the driver,
# libcudart, cuBLAS, cuDNN 9, NVRTC) are taken from the GPU machine.
set -euo pipefail

BUNDLE=backends/cuda/target/gpu-bundle

prepare() {
    mvn -o -q -B -pl backends/cuda -am test-compile -DskipTests
    mvn -o -q -B -pl backends/cuda dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/cp.txt
    rm -rf "$BUNDLE"
    mkdir -p "$BUNDLE/lib"
    tr ':' '\n' < backends/cuda/target/cp.txt | grep '\.jar$' | while read -r jar; do cp "$jar" "$BUNDLE/lib/"; done
    # the class path names the api jar when a verify packaged it, else api/target/classes
    ls "$BUNDLE"/lib/janus-api-*.jar >/dev/null 2>&1 || (cd api/target/classes && jar cf "../../../$BUNDLE/lib/janus-api.jar" .)
    (cd backends/cuda/target/classes && jar cf "../../../../$BUNDLE/lib/janus-backend-cuda.jar" .)
    (cd backends/cuda/target/test-classes && jar cf "../../../../$BUNDLE/lib/janus-backend-cuda-tests.jar" .)
    jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.httpserver,jdk.zipfs \
        --strip-debug --no-header-files --no-man-pages --compress=2 --output "$BUNDLE/jre"
    tar -C backends/cuda/target -czf backends/cuda/target/gpu-bundle.tar.gz gpu-bundle
    echo "bundle: backends/cuda/target/gpu-bundle.tar.gz ($(du -h backends/cuda/target/gpu-bundle.tar.gz | cut -f1))"
}

# Directories holding CUDA shared libraries: the driver's, a toolkit's, and those of the Python nvidia-*
# wheels (nvidia/cuda_runtime/lib, nvidia/cublas/lib, nvidia/cudnn/lib, nvidia/cuda_nvrtc/lib, ...).
cuda_lib_dirs() {
    {
        ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1/ {print $NF}' | xargs -r -n1 dirname
        ls -d /usr/local/cuda*/lib64 2>/dev/null || true
        find / -xdev -path '*/site-packages/nvidia/*/lib' -type d 2>/dev/null || true
    } | sort -u | paste -sd: -
}

run() {
    [ -d "$BUNDLE" ] || tar -C backends/cuda/target -xzf backends/cuda/target/gpu-bundle.tar.gz
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
    local dirs
    dirs=$(cuda_lib_dirs)
    echo "CUDA library directories: ${dirs:-none found}"
    export LD_LIBRARY_PATH="${dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    local java=java
    [ -x "$BUNDLE/jre/bin/java" ] && java="$BUNDLE/jre/bin/java"
    "$java" -Djava.library.path="$dirs" -cp "$BUNDLE/lib/*" dev.janus.backend.cuda.GpuSuiteMain
}

case "${1:-}" in
    prepare) prepare ;;
    run) run ;;
    *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
