/* Instruction throughput of the int8 dot-product instructions on this CPU, one thread: 12 independent
 * instructions per loop iteration (inline asm, so the compiler cannot change them), and the clock estimated from
 * a chain of dependent integer adds (1 per cycle). Gives the machine's int8 peak the GEMM harness compares with:
 * MACs per cycle = lanes x instructions per cycle. Run through bench/kernels/run. */
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define R12(op, r) op " %%" r "12, %%" r "13, %%" r "0\n\t" op " %%" r "12, %%" r "13, %%" r "1\n\t" op " %%" r "12, %%" r "13, %%" r "2\n\t" op " %%" r "12, %%" r "13, %%" r "3\n\t" \
 op " %%" r "12, %%" r "13, %%" r "4\n\t" op " %%" r "12, %%" r "13, %%" r "5\n\t" op " %%" r "12, %%" r "13, %%" r "6\n\t" op " %%" r "12, %%" r "13, %%" r "7\n\t" \
 op " %%" r "12, %%" r "13, %%" r "8\n\t" op " %%" r "12, %%" r "13, %%" r "9\n\t" op " %%" r "12, %%" r "13, %%" r "10\n\t" op " %%" r "12, %%" r "13, %%" r "11\n\t"
/* accumulate forms: op src1, src2, dst where dst also input for dpbusd; for others dst independent -> throughput */
#define BENCH(name, body) static double name(long n){ double t=now(); for(long i=0;i<n;i++){ __asm__ volatile(body ::: "xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12","xmm13"); } t=now()-t; return n*12.0/t; }
BENCH(b_maddwd, R12("vpmaddwd","ymm"))
BENCH(b_maddubs, R12("vpmaddubsw","ymm"))
BENCH(b_dp256, R12("vpdpbusd","ymm"))
BENCH(b_dp512, R12("vpdpbusd","zmm"))
BENCH(b_maddwd512, R12("vpmaddwd","zmm"))
BENCH(b_add, R12("vpaddd","ymm"))
BENCH(b_sign, R12("vpsignb","ymm"))
/* mix: per 32 MACs: sign, maddubs, maddwd(ones), add on 3 independent groups of 4 chains */
#define MIX "vpsignb %%ymm12, %%ymm13, %%ymm0\n\t vpmaddubsw %%ymm0, %%ymm14, %%ymm0\n\t vpmaddwd %%ymm0, %%ymm15, %%ymm0\n\t vpaddd %%ymm0, %%ymm1, %%ymm1\n\t"
#define MIX2 "vpsignb %%ymm12, %%ymm13, %%ymm2\n\t vpmaddubsw %%ymm2, %%ymm14, %%ymm2\n\t vpmaddwd %%ymm2, %%ymm15, %%ymm2\n\t vpaddd %%ymm2, %%ymm3, %%ymm3\n\t"
#define MIX3 "vpsignb %%ymm12, %%ymm13, %%ymm4\n\t vpmaddubsw %%ymm4, %%ymm14, %%ymm4\n\t vpmaddwd %%ymm4, %%ymm15, %%ymm4\n\t vpaddd %%ymm4, %%ymm5, %%ymm5\n\t"
static double b_mix(long n){ double t=now(); for(long i=0;i<n;i++){ __asm__ volatile(MIX MIX2 MIX3 MIX MIX2 MIX3 ::: "xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm12","xmm13","xmm14","xmm15"); } t=now()-t; return n*6.0/t; }
#define CUR "vpmaddwd %%ymm12, %%ymm13, %%ymm0\n\t vpaddd %%ymm0, %%ymm1, %%ymm1\n\t vpmaddwd %%ymm12, %%ymm14, %%ymm2\n\t vpaddd %%ymm2, %%ymm3, %%ymm3\n\t vpmaddwd %%ymm12, %%ymm15, %%ymm4\n\t vpaddd %%ymm4, %%ymm5, %%ymm5\n\t"
static double b_cur(long n){ double t=now(); for(long i=0;i<n;i++){ __asm__ volatile(CUR CUR CUR CUR ::: "xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm12","xmm13","xmm14","xmm15"); } t=now()-t; return n*12.0/t; }
int main(){ double ghz; { long x=0; double t=now(); for(long n=0;n<100000000L;n++){__asm__ volatile("add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0":"+r"(x));} t=now()-t; ghz=1e9/t; printf("~clock %.2f GHz\n",ghz/1e9);}
 long n=20000000;
 printf("vpmaddwd ymm   %.2f /cycle\n", b_maddwd(n)/ghz);
 printf("vpmaddwd zmm   %.2f /cycle\n", b_maddwd512(n)/ghz);
 printf("vpmaddubsw ymm %.2f /cycle\n", b_maddubs(n)/ghz);
 printf("vpdpbusd ymm   %.2f /cycle (%.0f MAC/cycle)\n", b_dp256(n)/ghz, 32*b_dp256(n)/ghz);
 printf("vpdpbusd zmm   %.2f /cycle (%.0f MAC/cycle)\n", b_dp512(n)/ghz, 64*b_dp512(n)/ghz);
 printf("vpaddd ymm     %.2f /cycle\n", b_add(n)/ghz);
 printf("vpsignb ymm    %.2f /cycle\n", b_sign(n)/ghz);
 printf("AVX2 |a| x sign(w,a): vpsignb+vpmaddubsw+vpmaddwd+vpaddd per 32 MACs: %.1f MAC/cycle\n", 32*b_mix(n)/ghz);
 printf("AVX2 s16 route: vpmaddwd+vpaddd per 16 MACs: %.1f MAC/cycle\n", 16*b_cur(n)/ghz);
}
