// libcublasLt.so.13 for fake-cuda-check.sh: the JNI glue needs the library; Janus calls nothing in it.
int janus_fake_cublaslt;
