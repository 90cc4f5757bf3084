/* The int8 kernels of Sources/CInt8Kernels on the four products of a MiniLM layer (m = 190 rows, the bench notes'
 * four questions), one thread: GMAC/s of ci8_gemm (epilogue included) and of the activation quantiser, for
 * every kernel this CPU runs. Usage: gemm [ROWS]. Run through bench/kernels/run. */
#include "int8_kernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static unsigned long long st=88172645463325252ULL; static float rnd(){ st^=st<<13; st^=st>>7; st^=st<<17; return (float)((long long)(st>>11)%2000001-1000000)/1e6f; }
int main(int argc,char**argv){
  int m = argc>1? atoi(argv[1]) : 190;
  int shapes[4][2]={{1152,384},{384,384},{1536,384},{384,1536}}; /* n, k */
  const char*names[4]={"qkv","attn-out","ffn1","ffn2"};
  for(int kern=0;kern<4;kern++){ if(!ci8_kernel_supported(kern)) continue;
    double tot_mac=0, tot_t=0;
    for(int s=0;s<4;s++){ int n=shapes[s][0], k=shapes[s][1];
      float *w=malloc(4*(size_t)n*k), *x=malloc(4*(size_t)m*k), *c=malloc(4*(size_t)m*n), *bias=malloc(4*n), *rs=malloc(4*m);
      for(size_t i=0;i<(size_t)n*k;i++) w[i]=rnd(); for(size_t i=0;i<(size_t)m*k;i++) x[i]=rnd(); for(int i=0;i<n;i++) bias[i]=rnd();
      ci8_matrix mat; ci8_matrix_pack(&mat,kern,w,n,k,k,1);
      void *q=aligned_alloc(64, ci8_activation_row_bytes(kern,k)*m+64);
      ci8_quantize_rows(kern,x,m,k,k,q,rs);
      int reps = kern==0? 3 : 200;
      ci8_gemm(&mat,q,rs,m,0,n,bias,c,n);
      double t=now(); for(int r=0;r<reps;r++) ci8_gemm(&mat,q,rs,m,0,n,bias,c,n); t=(now()-t)/reps;
      double tq=now(); for(int r=0;r<reps;r++) ci8_quantize_rows(kern,x,m,k,k,q,rs); tq=(now()-tq)/reps;
      double mac=(double)m*n*k; tot_mac+=mac; tot_t+=t;
      printf("%-10s %-8s m=%d n=%4d k=%4d: %7.1f us  %6.1f GMAC/s   quantize %5.1f us\n", ci8_kernel_name(kern), names[s], m,n,k, t*1e6, mac/t/1e9, tq*1e6);
      ci8_matrix_free(&mat); free(w);free(x);free(c);free(bias);free(rs);free(q);
    }
    printf("%-10s all four: %.1f GMAC/s (1 thread), %.0f us per layer\n", ci8_kernel_name(kern), tot_mac/tot_t/1e9, tot_t*1e6);
  }
}
