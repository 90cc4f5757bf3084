/* An AVX2 alternative measured against the shipped s16 kernel's inner loop, int32 sums only, one thread.
 * cur: activations and weights s16, vpmaddwd + vpaddd (the shipped AVX2 kernel's loop, 6 rows x 16 columns).
 * new: s8 weights in the VNNI kernels' quad layout, vpmaddubsw(|a|, vpsignb(w, a)) + vpmaddwd(ones) + vpaddd,
 * exact because |a| <= 127 keeps each pair sum <= 32258 (NR rows x 16 columns). Both are checked against plain
 * int32 dot products. Run through bench/kernels/run. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#define AVX2 __attribute__((target("avx2,fma")))
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static unsigned long long st=88172645463325252ULL; static int rnd127(){ st^=st<<13; st^=st>>7; st^=st<<17; return (int)((st>>11)%255)-127; }

/* cur: b = [block][pair p][16 cols][2] s16 ; a = rows of s16 (k padded to 2) */
static inline __attribute__((always_inline)) AVX2 void cur_tile(int rows, const int16_t *a, size_t ld, const int16_t *b, int pairs, int32_t *out, int ldo){
  __m256i acc[6][2]; for(int r=0;r<rows;r++) acc[r][0]=acc[r][1]=_mm256_setzero_si256();
  for(int p=0;p<pairs;p++){ __m256i b0=_mm256_loadu_si256((const __m256i*)(b+(size_t)p*32)), b1=_mm256_loadu_si256((const __m256i*)(b+(size_t)p*32+16));
    for(int r=0;r<rows;r++){ int32_t pr; memcpy(&pr, a+(size_t)r*ld+2*p,4); __m256i av=_mm256_set1_epi32(pr);
      acc[r][0]=_mm256_add_epi32(acc[r][0],_mm256_madd_epi16(av,b0)); acc[r][1]=_mm256_add_epi32(acc[r][1],_mm256_madd_epi16(av,b1)); } }
  for(int r=0;r<rows;r++){ _mm256_storeu_si256((__m256i*)(out+r*ldo),acc[r][0]); _mm256_storeu_si256((__m256i*)(out+r*ldo+8),acc[r][1]); }
}
AVX2 void cur_gemm(const int16_t *w, const int16_t *a, int m, int n, int kp, int32_t *c){
  int pairs=kp/2; size_t ld=kp;
  for(int blk=0;blk<n/16;blk++){ const int16_t *panel=w+(size_t)blk*pairs*32;
    for(int r=0;r<m;r+=6){ int rows=m-r<6?m-r:6;
      switch(rows){case 6: cur_tile(6,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);break; case 5: cur_tile(5,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);break; case 4: cur_tile(4,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);break;
        case 3: cur_tile(3,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);break; case 2: cur_tile(2,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);break; default: cur_tile(1,a+r*ld,ld,panel,pairs,c+r*n+blk*16,n);} } }
}
/* new: b = [block][quad g][16 cols][4] s8 ; a = rows of s8 (k padded to 4) */
#ifndef NR
#define NR 4
#endif
static inline __attribute__((always_inline)) AVX2 void new_tile(int rows, const int8_t *a, size_t ld, const int8_t *b, int quads, int32_t *out, int ldo){
  __m256i acc[NR][2]; for(int r=0;r<rows;r++) acc[r][0]=acc[r][1]=_mm256_setzero_si256();
  const __m256i ones=_mm256_set1_epi16(1);
  for(int g=0;g<quads;g++){ __m256i b0=_mm256_loadu_si256((const __m256i*)(b+(size_t)g*64)), b1=_mm256_loadu_si256((const __m256i*)(b+(size_t)g*64+32));
    for(int r=0;r<rows;r++){ int32_t qd; memcpy(&qd, a+(size_t)r*ld+4*g,4); __m256i av=_mm256_set1_epi32(qd); __m256i ua=_mm256_abs_epi8(av);
      __m256i p0=_mm256_maddubs_epi16(ua,_mm256_sign_epi8(b0,av)), p1=_mm256_maddubs_epi16(ua,_mm256_sign_epi8(b1,av));
      acc[r][0]=_mm256_add_epi32(acc[r][0],_mm256_madd_epi16(p0,ones)); acc[r][1]=_mm256_add_epi32(acc[r][1],_mm256_madd_epi16(p1,ones)); } }
  for(int r=0;r<rows;r++){ _mm256_storeu_si256((__m256i*)(out+r*ldo),acc[r][0]); _mm256_storeu_si256((__m256i*)(out+r*ldo+8),acc[r][1]); }
}
/* new2: pairs of maddubs added in s16 would overflow -> not used. new3: accumulate 2 quads' maddubs via maddwd each (same). */
AVX2 void new_gemm(const int8_t *w, const int8_t *a, int m, int n, int kp, int32_t *c){
  int quads=kp/4; size_t ld=kp;
  for(int blk=0;blk<n/16;blk++){ const int8_t *panel=w+(size_t)blk*quads*64;
    for(int r=0;r<m;r+=NR){ int rows=m-r<NR?m-r:NR;
      switch(rows){
#if NR>=6
        case 6: new_tile(6,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);break; case 5: new_tile(5,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);break;
#endif
        case 4: new_tile(4,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);break;
        case 3: new_tile(3,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);break; case 2: new_tile(2,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);break; default: new_tile(1,a+r*ld,ld,panel,quads,c+r*n+blk*16,n);} } }
}
int main(int argc,char**argv){
  int m=190; int shapes[4][2]={{1152,384},{384,384},{1536,384},{384,1536}};
  double tc=0,tn=0,macs=0;
  for(int s=0;s<4;s++){ int n=shapes[s][0], k=shapes[s][1], kp=k;
    int8_t *W=malloc((size_t)n*k), *A=malloc((size_t)m*k); for(size_t i=0;i<(size_t)n*k;i++) W[i]=rnd127(); for(size_t i=0;i<(size_t)m*k;i++) A[i]=rnd127();
    W[0]=-127; A[0]=-127; W[1]=-127; A[1]=-127; W[2]=127;A[2]=127;W[3]=127;A[3]=127;
    int16_t *w16=malloc(2*(size_t)n*kp), *a16=malloc(2*(size_t)m*kp); int8_t *w8=malloc((size_t)n*kp);
    for(int j=0;j<n;j++) for(int i=0;i<k;i++){ int blk=j/16,col=j%16; w16[(((size_t)blk*(kp/2)+i/2)*16+col)*2+i%2]=W[(size_t)j*k+i]; w8[(((size_t)blk*(kp/4)+i/4)*16+col)*4+i%4]=W[(size_t)j*k+i]; }
    for(size_t i=0;i<(size_t)m*k;i++) a16[i]=A[i];
    int32_t *c1=malloc(4*(size_t)m*n), *c2=malloc(4*(size_t)m*n), *ref=malloc(4*(size_t)m*n);
    for(int r=0;r<m;r++) for(int j=0;j<n;j++){ int32_t sacc=0; for(int i=0;i<k;i++) sacc+=A[(size_t)r*k+i]*W[(size_t)j*k+i]; ref[(size_t)r*n+j]=sacc; }
    cur_gemm(w16,a16,m,n,kp,c1); new_gemm(w8,A,m,n,kp,c2);
    int ok1=!memcmp(c1,ref,4*(size_t)m*n), ok2=!memcmp(c2,ref,4*(size_t)m*n);
    int reps=300; double t=now(); for(int r=0;r<reps;r++) cur_gemm(w16,a16,m,n,kp,c1); double t1=(now()-t)/reps;
    t=now(); for(int r=0;r<reps;r++) new_gemm(w8,A,m,n,kp,c2); double t2=(now()-t)/reps;
    double mac=(double)m*n*k; macs+=mac; tc+=t1; tn+=t2;
    printf("n=%4d k=%4d cur %6.1f us %5.1f GMAC/s exact=%d | new %6.1f us %5.1f GMAC/s exact=%d\n",n,k,t1*1e6,mac/t1/1e9,ok1,t2*1e6,mac/t2/1e9,ok2);
  }
  printf("all: cur %.1f GMAC/s, new %.1f GMAC/s (NR=%d)\n", macs/tc/1e9, macs/tn/1e9, NR);
}
