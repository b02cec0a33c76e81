#!/usr/bin/env bash
# Runs the CUDA backend's runtime classes (backends/cuda/.../runtime) through JavaCPP's real CUDA JNI glue against
# fake CUDA libraries built here from backends/cuda/src/test/fake-cuda (host memory as device memory, nvcc as
# NVRTC, cuBLAS's documented GEMM on the host, a driver whose one kernel negates floats): a check of how every
# JavaCPP call is marshalled, on a machine without a GPU. Needs gcc and nvcc; see docs/gpu.md.
#
#   backends/cuda/fake-cuda-check.sh     # from the repository root
#
# Maven runs offline (-o) unless JANUS_MVN_OFFLINE says otherwise: CI sets it empty, so a fresh machine may fetch
# the JNI glue jar and the dependency plugin.
set -euo pipefail
offline=${JANUS_MVN_OFFLINE--o}

OUT=backends/cuda/target/fake-cuda
rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/work"
cp_file="$PWD/$OUT/cp.txt"
# one invocation, so the reactor's modules resolve to their freshly compiled classes (as in gpu-check.sh)
mvn $offline -q -B -pl backends/cuda -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
version=$(sed -n 's:.*<cuda.version>\(.*\)</cuda.version>.*:\1:p' pom.xml)
mvn $offline -q -B dependency:copy -Dartifact="org.bytedeco:cuda:$version:jar:linux-x86_64" -DoutputDirectory="$OUT"

src=backends/cuda/src/test/fake-cuda
# the JNI glue asks for versioned symbols (cudaMalloc@libcudart.so.13, ...): each fake defines its soname's version
build() {
    echo "$1 { global: *; };" > "$OUT/$1.map"
    gcc -shared -fPIC -O1 -o "$OUT/lib/$1" -Wl,-soname,"$1" -Wl,--version-script="$OUT/$1.map" "$src/$2"
}
gcc -shared -fPIC -O1 -o "$OUT/lib/libcuda.so.1" -Wl,-soname,libcuda.so.1 "$src/fakecuda.c"
build libcudart.so.13 fakecudart.c
build libnvrtc.so.13 fakenvrtc.c
build libcublas.so.13 fakecublas.c
build libcublasLt.so.13 fakecublaslt.c

cp="backends/cuda/target/classes:backends/cuda/target/test-classes:$(cat "$cp_file"):$(ls "$OUT"/cuda-*-linux-x86_64.jar)"
run=(env LD_LIBRARY_PATH="$PWD/$OUT/lib" FAKE_CUDA_WORK="$PWD/$OUT/work" java -Djava.library.path="$PWD/$OUT/lib"
    -Dorg.bytedeco.javacpp.cachedir="$PWD/$OUT/cache" -cp "$cp" dev.janus.backend.cuda.runtime.FakeCudaMain)

# NOTE: JavaCPP's CUDA presets preload their libraries from fixed toolkit folders before LD_LIBRARY_PATH; where a
# real library sits there, the fake is bind-mounted over it in a private mount namespace (root only).
mounts=""
for dir in /usr/local/cuda-13.1/lib /usr/local/cuda-13.1/lib64 /usr/local/cuda/lib /usr/local/cuda/lib64 /usr/lib /usr/lib64; do
    for lib in libcudart.so.13 libnvrtc.so.13 libcublas.so.13 libcublasLt.so.13; do
        if [ -e "$dir/$lib" ]; then mounts="$mounts mount --bind '$PWD/$OUT/lib/$lib' '$dir/$lib';"; fi
    done
done
if [ -z "$mounts" ]; then
    "${run[@]}"
else
    unshare -m --propagation private bash -c "$mounts \"\$@\"" fake-cuda "${run[@]}"
fi
