import v8 from 'node:v8';

/** glibc's largest dynamic mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX). */
const GLIBC_MAX_MMAP_THRESHOLD = 32 * 1024 * 1024;
/** Room for malloc's chunk header and page rounding: a freed block above that maximum would move nothing. */
const CHUNK_OVERHEAD = 64 * 1024;

let tuned = false;

/**
 * Makes this process cheap at proxying big downloads; once per process. Each 64 KB read from an upstream
 * socket is a fresh ArrayBuffer (and Node's HTTP parser copies the body into another), which V8 frees in
 * batches of ~32 MB after a young-generation GC. Measured with bench/proxy.js (perf, --trace-gc, strace), two
 * things made that cost the host about twice the CPU of a bare node:http pipe:
 * - V8 frees them on a background thread, which lags on a busy machine; until it is done they count as
 *   external memory and start major GCs of the whole heap, several per 200 MB. Freed during the young GC
 *   itself, they are gone before they can (no major GC in four downloads, against 6 or more in each before).
 * - glibc handed each freed batch back to the OS (brk) and faulted it in again page by page: a page fault
 *   per 4 KB streamed. Freeing one block the size of glibc's largest dynamic mmap threshold raises its trim
 *   threshold to 64 MB, so a batch is reused instead (after it, ~0 page faults per download). Other
 *   allocators simply free the block.
 */
export function tuneMemoryForStreaming(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  // Not kept: the next young-generation GC frees it. Left uninitialized, it is never touched, so never resident.
  Buffer.allocUnsafeSlow(GLIBC_MAX_MMAP_THRESHOLD - CHUNK_OVERHEAD);
}
