;; Causal multi-head attention (after the rotary rotation) and its backward pass, in WebAssembly
;; SIMD. The JavaScript reference is `attentionReference` / `attentionBackReference` in
;; src/model/kernels/attention.ts; these loops do the same arithmetic in the same order, so the
;; results are bit-identical: every sum is accumulated in f64, the two lanes of an f64x2 standing for
;; the reference's even and odd accumulators, and every stored value is rounded to f32 exactly where
;; the reference stores into a Float32Array (a demote-promote pair where a value stays in a
;; register). exp is fdlibm's, as in V8's Math.exp (calling into JavaScript for each score cost
;; more than all the loops around it). Small helpers in the hot loops are written out inline: Node
;; 20's V8 does not inline WebAssembly calls.
;;
;; Speed comes from working on four keys at once: their dot products are independent chains, so
;; they overlap in the processor instead of waiting on one another's additions. A running
;; sum that the reference accumulates key after key (the context row, dq) is still updated key
;; after key, in order.
;;
;; Layout (byte addresses into this module's memory; the host places the arrays):
;;   q, k, v   [N, D] f32, N = B*T rows, D = H*dh; row n is position n % T of sequence n / T
;;   ctx       [R, D] f32, zeroed by the host; R query rows
;;   p         [R, H, T] f32 probabilities (zeroed by the host) when keep, else [H, T] scratch
;;   queries   [R] i32 row indices (has_queries = 0: query row r is row r)
;; dh must be even.
(module
  (memory (export "memory") 1)

  ;; Forward, scores of query row r for every head: q.k_j * scale (j = 0..t) into p (stored
  ;; rounded), each head's maximum over the unrounded scores into maxes [H] f64.
  (func $scores
    (param $q i32) (param $k i32) (param $p i32) (param $maxes i32)
    (param $queries i32) (param $has_queries i32) (param $keep i32)
    (param $r i32) (param $T i32) (param $H i32) (param $dh i32) (param $scale f64)
    (local $D4 i32) (local $dh4 i32) (local $n i32) (local $t i32) (local $first i32)
    (local $h i32) (local $pa i32) (local $qa i32) (local $kb i32)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32)
    (local $j i32) (local $d i32) (local $x v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
   
    (local $dot f64) (local $max f64)
    (local.set $D4 (i32.shl (i32.mul (local.get $H) (local.get $dh)) (i32.const 2)))
    (local.set $dh4 (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $n (if (result i32) (local.get $has_queries)
      (then (i32.load (i32.add (local.get $queries) (i32.shl (local.get $r) (i32.const 2)))))
      (else (local.get $r))))
    (local.set $t (i32.rem_u (local.get $n) (local.get $T)))
    (local.set $first (i32.sub (local.get $n) (local.get $t)))
    (block $heads_done (loop $heads
        (br_if $heads_done (i32.ge_u (local.get $h) (local.get $H)))
        ;; This head's probabilities: row (r, h) of p when keep, else row h of the [H, T] scratch.
        (local.set $pa (i32.add (local.get $p) (i32.shl (i32.mul
          (if (result i32) (local.get $keep) (then (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $h))) (else (local.get $h)))
          (local.get $T)) (i32.const 2))))
        (local.set $qa (i32.add (local.get $q) (i32.add (i32.mul (local.get $n) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        (local.set $kb (i32.add (local.get $k) (i32.add (i32.mul (local.get $first) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        ;; Scores q.k_j * scale for j = 0..t, stored rounded; the maximum over the unrounded ones.
        (local.set $max (f64.const -inf))
        (local.set $j (i32.const 0))
        (block $quads_done (loop $quads
          (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 3)) (local.get $t)))
          (local.set $k0 (i32.add (local.get $kb) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $k1 (i32.add (local.get $k0) (local.get $D4)))
          (local.set $k2 (i32.add (local.get $k1) (local.get $D4)))
          (local.set $k3 (i32.add (local.get $k2) (local.get $D4)))
          (local.set $a0 (f64x2.splat (f64.const 0)))
          (local.set $a1 (f64x2.splat (f64.const 0)))
          (local.set $a2 (f64x2.splat (f64.const 0)))
          (local.set $a3 (f64x2.splat (f64.const 0)))
          (local.set $d (i32.const 0))
          (loop $dots
            (local.set $x (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $qa) (local.get $d)))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $x)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k0) (local.get $d)))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $x)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k1) (local.get $d)))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $x)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k2) (local.get $d)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $x)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k3) (local.get $d)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $dots (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $dot (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))) (local.get $scale)))
          (f32.store (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (if (f64.gt (local.get $dot) (local.get $max)) (then (local.set $max (local.get $dot))))
          (local.set $dot (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))) (local.get $scale)))
          (f32.store offset=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (if (f64.gt (local.get $dot) (local.get $max)) (then (local.set $max (local.get $dot))))
          (local.set $dot (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2))) (local.get $scale)))
          (f32.store offset=8 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (if (f64.gt (local.get $dot) (local.get $max)) (then (local.set $max (local.get $dot))))
          (local.set $dot (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3))) (local.get $scale)))
          (f32.store offset=12 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (if (f64.gt (local.get $dot) (local.get $max)) (then (local.set $max (local.get $dot))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $quads)))
        (block $singles_done (loop $singles
          (br_if $singles_done (i32.gt_u (local.get $j) (local.get $t)))
          (local.set $k0 (i32.add (local.get $kb) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $a0 (f64x2.splat (f64.const 0)))
          (local.set $d (i32.const 0))
          (loop $dots
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $qa) (local.get $d))))
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k0) (local.get $d)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $dots (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $dot (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))) (local.get $scale)))
          (f32.store (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (if (f64.gt (local.get $dot) (local.get $max)) (then (local.set $max (local.get $dot))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $singles)))
        (f64.store (i32.add (local.get $maxes) (i32.shl (local.get $h) (i32.const 3))) (local.get $max))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $heads))))

  ;; Forward, context of query row r: the probabilities exp * inv (stored rounded) and
  ;; ctx += w_j v_j key after key, rounded after each (ctx zeroed by the host).
  (func $mix
    (param $v i32) (param $ctx i32) (param $p i32) (param $invs i32)
    (param $queries i32) (param $has_queries i32) (param $keep i32)
    (param $r i32) (param $T i32) (param $H i32) (param $dh i32)
    (local $D4 i32) (local $dh4 i32) (local $n i32) (local $t i32) (local $first i32)
    (local $h i32) (local $pa i32) (local $vb i32) (local $ca i32)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32)
    (local $j i32) (local $d i32) (local $c v128)
   
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $inv f64) (local $w f64)
    (local.set $D4 (i32.shl (i32.mul (local.get $H) (local.get $dh)) (i32.const 2)))
    (local.set $dh4 (i32.shl (local.get $dh) (i32.const 2)))
    (local.set $n (if (result i32) (local.get $has_queries)
      (then (i32.load (i32.add (local.get $queries) (i32.shl (local.get $r) (i32.const 2)))))
      (else (local.get $r))))
    (local.set $t (i32.rem_u (local.get $n) (local.get $T)))
    (local.set $first (i32.sub (local.get $n) (local.get $t)))
    (block $heads_done (loop $heads
        (br_if $heads_done (i32.ge_u (local.get $h) (local.get $H)))
        ;; This head's probabilities: row (r, h) of p when keep, else row h of the [H, T] scratch.
        (local.set $pa (i32.add (local.get $p) (i32.shl (i32.mul
          (if (result i32) (local.get $keep) (then (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $h))) (else (local.get $h)))
          (local.get $T)) (i32.const 2))))
        (local.set $vb (i32.add (local.get $v) (i32.add (i32.mul (local.get $first) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        (local.set $ca (i32.add (local.get $ctx) (i32.add (i32.mul (local.get $r) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        (local.set $inv (f64.load (i32.add (local.get $invs) (i32.shl (local.get $h) (i32.const 3)))))
        (local.set $j (i32.const 0))
        (block $quads_done (loop $quads
          (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 3)) (local.get $t)))
          (local.set $w (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))) (local.get $inv)))
          (f32.store (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $w)))
          (local.set $w0 (f64x2.splat (local.get $w)))
          (local.set $w (f64.mul (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))) (local.get $inv)))
          (f32.store offset=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $w)))
          (local.set $w1 (f64x2.splat (local.get $w)))
          (local.set $w (f64.mul (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))) (local.get $inv)))
          (f32.store offset=8 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $w)))
          (local.set $w2 (f64x2.splat (local.get $w)))
          (local.set $w (f64.mul (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))) (local.get $inv)))
          (f32.store offset=12 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $w)))
          (local.set $w3 (f64x2.splat (local.get $w)))
          (local.set $k0 (i32.add (local.get $vb) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $k1 (i32.add (local.get $k0) (local.get $D4)))
          (local.set $k2 (i32.add (local.get $k1) (local.get $D4)))
          (local.set $k3 (i32.add (local.get $k2) (local.get $D4)))
          (local.set $d (i32.const 0))
          (loop $axpy
            (local.set $c (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $ca) (local.get $d)))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w0)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k0) (local.get $d)))))))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w1)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k1) (local.get $d)))))))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w2)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k2) (local.get $d)))))))))
            (local.set $c (f64x2.add (local.get $c) (f64x2.mul (local.get $w3)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k3) (local.get $d)))))))
            (v128.store64_lane align=4 0 (i32.add (local.get $ca) (local.get $d)) (f32x4.demote_f64x2_zero (local.get $c)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $axpy (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $quads)))
        (block $singles_done (loop $singles
          (br_if $singles_done (i32.gt_u (local.get $j) (local.get $t)))
          (local.set $w (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))) (local.get $inv)))
          (f32.store (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $w)))
          (local.set $w0 (f64x2.splat (local.get $w)))
          (local.set $k0 (i32.add (local.get $vb) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $d (i32.const 0))
          (loop $axpy
            (v128.store64_lane align=4 0 (i32.add (local.get $ca) (local.get $d)) (f32x4.demote_f64x2_zero
              (f64x2.add
                (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $ca) (local.get $d))))
                (f64x2.mul (local.get $w0) (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $k0) (local.get $d))))))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $axpy (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $singles)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $heads))))

  ;; exp(x), the algorithm of fdlibm's e_exp.c (which V8 implements Math.exp with: the tests hold the
  ;; two equal): x = k ln2 + r with |r| <= ln2 / 2, a rational approximation of exp(r), and k added
  ;; to the exponent.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $hx i32) (local $neg i32) (local $hi f64) (local $lo f64) (local $k i32) (local $t f64) (local $c f64) (local $y f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $neg (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; |x| >= 709.78: overflow, underflow, infinities, NaN.
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862e42)) (then
      (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000)) (then
        (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
        (return (select (f64.const 0) (local.get $x) (local.get $neg)))))
      (if (f64.gt (local.get $x) (f64.reinterpret_i64 (i64.const 0x40862e42fefa39ef))) (then (return (f64.const inf))))
      (if (f64.lt (local.get $x) (f64.reinterpret_i64 (i64.const 0xc0874910d52d3051))) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3ff0a2b2))
          (then
            ;; 0.5 ln2 < |x| < 1.5 ln2: k = +-1.
            (if (local.get $neg)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.reinterpret_i64 (i64.const 0x3fe62e42fee00000))))
                (local.set $lo (f64.neg (f64.reinterpret_i64 (i64.const 0x3dea39ef35793c76))))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.reinterpret_i64 (i64.const 0x3fe62e42fee00000))))
                (local.set $lo (f64.reinterpret_i64 (i64.const 0x3dea39ef35793c76)))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add
              (f64.mul (f64.reinterpret_i64 (i64.const 0x3ff71547652b82fe)) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $neg)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.reinterpret_i64 (i64.const 0x3fe62e42fee00000)))))
            (local.set $lo (f64.mul (local.get $t) (f64.reinterpret_i64 (i64.const 0x3dea39ef35793c76))))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        ;; |x| < 2^-28: 1 + x.
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.reinterpret_i64 (i64.const 0x3fc555555555553e)) (f64.mul (local.get $t)
      (f64.add (f64.reinterpret_i64 (i64.const 0xbf66c16c16bebd93)) (f64.mul (local.get $t)
      (f64.add (f64.reinterpret_i64 (i64.const 0x3f11566aaf25de2c)) (f64.mul (local.get $t)
      (f64.add (f64.reinterpret_i64 (i64.const 0xbebbbd41c5d26bf1)) (f64.mul (local.get $t)
        (f64.reinterpret_i64 (i64.const 0x3e66376972bea4d0)))))))))))))
    (if (i32.eqz (local.get $k)) (then
      (return (f64.sub (f64.const 1) (f64.sub
        (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2)))
        (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1) (f64.sub
      (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
      (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021)) (then
      (return (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y))
        (i64.shl (i64.extend_i32_s (local.get $k)) (i64.const 52)))))))
    ;; Subnormal results: scale by 2^(k + 1000), then by 2^-1000.
    (f64.mul
      (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y))
        (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 1000))) (i64.const 52))))
      (f64.reinterpret_i64 (i64.const 0x0170000000000000))))

  ;; Forward, softmax of query row r: each score becomes exp(score - max) (stored rounded), and
  ;; invs [H] f64 gets 1 / (the sum of the unrounded values).
  (func $exps (param $p i32) (param $maxes i32) (param $invs i32) (param $keep i32) (param $r i32) (param $t i32) (param $T i32) (param $H i32)
    (local $h i32) (local $pa i32) (local $j i32) (local $max f64) (local $sum f64) (local $e f64)
    (block $heads_done (loop $heads
      (br_if $heads_done (i32.ge_u (local.get $h) (local.get $H)))
      (local.set $pa (i32.add (local.get $p) (i32.shl (i32.mul
        (if (result i32) (local.get $keep) (then (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $h))) (else (local.get $h)))
        (local.get $T)) (i32.const 2))))
      (local.set $max (f64.load (i32.add (local.get $maxes) (i32.shl (local.get $h) (i32.const 3)))))
      (local.set $sum (f64.const 0))
      (local.set $j (i32.const 0))
      (loop $exps
        (local.set $e (call $exp (f64.sub
          (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
          (local.get $max))))
        (f32.store (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $e)))
        (local.set $sum (f64.add (local.get $sum) (local.get $e)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $exps (i32.le_u (local.get $j) (local.get $t))))
      (f64.store (i32.add (local.get $invs) (i32.shl (local.get $h) (i32.const 3))) (f64.div (f64.const 1) (local.get $sum)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $heads))))

  ;; Forward over query rows 0..R-1: scores, softmax, context. maxes and invs: [H] f64 scratch.
  (func (export "forward")
    (param $q i32) (param $k i32) (param $v i32) (param $ctx i32) (param $p i32) (param $maxes i32) (param $invs i32)
    (param $queries i32) (param $has_queries i32) (param $keep i32)
    (param $R i32) (param $T i32) (param $H i32) (param $dh i32) (param $scale f64)
    (local $r i32) (local $n i32)
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $n (if (result i32) (local.get $has_queries)
        (then (i32.load (i32.add (local.get $queries) (i32.shl (local.get $r) (i32.const 2)))))
        (else (local.get $r))))
      (call $scores (local.get $q) (local.get $k) (local.get $p) (local.get $maxes) (local.get $queries) (local.get $has_queries)
        (local.get $keep) (local.get $r) (local.get $T) (local.get $H) (local.get $dh) (local.get $scale))
      (call $exps (local.get $p) (local.get $maxes) (local.get $invs) (local.get $keep) (local.get $r)
        (i32.rem_u (local.get $n) (local.get $T)) (local.get $T) (local.get $H))
      (call $mix (local.get $v) (local.get $ctx) (local.get $p) (local.get $invs) (local.get $queries) (local.get $has_queries)
        (local.get $keep) (local.get $r) (local.get $T) (local.get $H) (local.get $dh))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; d ctx [R, D] to dq, dk, dv [N, D] (zeroed by the host), with dp [T] f32 scratch.
  (func (export "backward")
    (param $q i32) (param $k i32) (param $v i32) (param $p i32) (param $dctx i32)
    (param $dq i32) (param $dk i32) (param $dv i32) (param $dp i32)
    (param $queries i32) (param $has_queries i32)
    (param $R i32) (param $T i32) (param $H i32) (param $dh i32) (param $scale f64)
    (local $D4 i32) (local $dh4 i32) (local $r i32) (local $n i32) (local $t i32) (local $first i32)
    (local $h i32) (local $pa i32) (local $ga i32) (local $qa i32) (local $dqa i32) (local $ho i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $j i32) (local $d i32) (local $g v128) (local $x v128) (local $c v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $w f64) (local $dot f64) (local $row_dot f64) (local $ds f64)
    (local.set $D4 (i32.shl (i32.mul (local.get $H) (local.get $dh)) (i32.const 2)))
    (local.set $dh4 (i32.shl (local.get $dh) (i32.const 2)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $n (if (result i32) (local.get $has_queries)
        (then (i32.load (i32.add (local.get $queries) (i32.shl (local.get $r) (i32.const 2)))))
        (else (local.get $r))))
      (local.set $t (i32.rem_u (local.get $n) (local.get $T)))
      (local.set $first (i32.sub (local.get $n) (local.get $t)))
      (local.set $h (i32.const 0))
      (block $heads_done (loop $heads
        (br_if $heads_done (i32.ge_u (local.get $h) (local.get $H)))
        (local.set $pa (i32.add (local.get $p)
          (i32.shl (i32.mul (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $h)) (local.get $T)) (i32.const 2))))
        (local.set $ga (i32.add (local.get $dctx) (i32.add (i32.mul (local.get $r) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        (local.set $qa (i32.add (local.get $q) (i32.add (i32.mul (local.get $n) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        (local.set $dqa (i32.add (local.get $dq) (i32.add (i32.mul (local.get $n) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4)))))
        ;; Byte offset of key row `first`, head h, in any [N, D] array.
        (local.set $ho (i32.add (i32.mul (local.get $first) (local.get $D4)) (i32.mul (local.get $h) (local.get $dh4))))
        ;; dp_j = d ctx . v_j (stored rounded), dv_j += p_j d ctx, row_dot = sum_j p_j dp_j (unrounded).
        (local.set $row_dot (f64.const 0))
        (local.set $j (i32.const 0))
        (block $quads_done (loop $quads
          (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 3)) (local.get $t)))
          (local.set $o0 (i32.add (local.get $ho) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $o1 (i32.add (local.get $o0) (local.get $D4)))
          (local.set $o2 (i32.add (local.get $o1) (local.get $D4)))
          (local.set $o3 (i32.add (local.get $o2) (local.get $D4)))
          (local.set $w0 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $w1 (f64x2.splat (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $w2 (f64x2.splat (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $w3 (f64x2.splat (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $a0 (f64x2.splat (f64.const 0)))
          (local.set $a1 (f64x2.splat (f64.const 0)))
          (local.set $a2 (f64x2.splat (f64.const 0)))
          (local.set $a3 (f64x2.splat (f64.const 0)))
          (local.set $d (i32.const 0))
          (loop $dots
            (local.set $g (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $ga) (local.get $d)))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $g)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $v) (local.get $o0)) (local.get $d)))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $g)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $v) (local.get $o1)) (local.get $d)))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $g)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $v) (local.get $o2)) (local.get $d)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $g)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $v) (local.get $o3)) (local.get $d)))))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dv) (local.get $o0)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dv) (local.get $o0)) (local.get $d))))
              (f64x2.mul (local.get $w0) (local.get $g)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dv) (local.get $o1)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dv) (local.get $o1)) (local.get $d))))
              (f64x2.mul (local.get $w1) (local.get $g)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dv) (local.get $o2)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dv) (local.get $o2)) (local.get $d))))
              (f64x2.mul (local.get $w2) (local.get $g)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dv) (local.get $o3)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dv) (local.get $o3)) (local.get $d))))
              (f64x2.mul (local.get $w3) (local.get $g)))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $dots (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
          (f32.store (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (local.set $row_dot (f64.add (local.get $row_dot) (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (local.get $dot))))
          (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
          (f32.store offset=4 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (local.set $row_dot (f64.add (local.get $row_dot) (f64.mul (f64x2.extract_lane 0 (local.get $w1)) (local.get $dot))))
          (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2))))
          (f32.store offset=8 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (local.set $row_dot (f64.add (local.get $row_dot) (f64.mul (f64x2.extract_lane 0 (local.get $w2)) (local.get $dot))))
          (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3))))
          (f32.store offset=12 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (local.set $row_dot (f64.add (local.get $row_dot) (f64.mul (f64x2.extract_lane 0 (local.get $w3)) (local.get $dot))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $quads)))
        (block $singles_done (loop $singles
          (br_if $singles_done (i32.gt_u (local.get $j) (local.get $t)))
          (local.set $o0 (i32.add (local.get $ho) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $w (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $w0 (f64x2.splat (local.get $w)))
          (local.set $a0 (f64x2.splat (f64.const 0)))
          (local.set $d (i32.const 0))
          (loop $dots
            (local.set $g (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $ga) (local.get $d)))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $g)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $v) (local.get $o0)) (local.get $d)))))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dv) (local.get $o0)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dv) (local.get $o0)) (local.get $d))))
              (f64x2.mul (local.get $w0) (local.get $g)))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $dots (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $dot (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
          (f32.store (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $dot)))
          (local.set $row_dot (f64.add (local.get $row_dot) (f64.mul (local.get $w) (local.get $dot))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $singles)))
        ;; ds_j = p_j (dp_j - row_dot) scale; dq += ds_j k_j key after key (rounded after each); dk_j += ds_j q.
        (local.set $j (i32.const 0))
        (block $quads_done (loop $quads
          (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 3)) (local.get $t)))
          (local.set $o0 (i32.add (local.get $ho) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $o1 (i32.add (local.get $o0) (local.get $D4)))
          (local.set $o2 (i32.add (local.get $o1) (local.get $D4)))
          (local.set $o3 (i32.add (local.get $o2) (local.get $D4)))
          (local.set $w0 (f64x2.splat (f64.mul (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))))) (local.get $row_dot)))
            (local.get $scale))))
          (local.set $w1 (f64x2.splat (f64.mul (f64.mul
            (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
            (f64.sub (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))))) (local.get $row_dot)))
            (local.get $scale))))
          (local.set $w2 (f64x2.splat (f64.mul (f64.mul
            (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
            (f64.sub (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))))) (local.get $row_dot)))
            (local.get $scale))))
          (local.set $w3 (f64x2.splat (f64.mul (f64.mul
            (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
            (f64.sub (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))))) (local.get $row_dot)))
            (local.get $scale))))
          (local.set $d (i32.const 0))
          (loop $axpys
            (local.set $c (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $dqa) (local.get $d)))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w0)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $k) (local.get $o0)) (local.get $d)))))))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w1)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $k) (local.get $o1)) (local.get $d)))))))))
            (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $c) (f64x2.mul (local.get $w2)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $k) (local.get $o2)) (local.get $d)))))))))
            (local.set $c (f64x2.add (local.get $c) (f64x2.mul (local.get $w3)
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $k) (local.get $o3)) (local.get $d)))))))
            (v128.store64_lane align=4 0 (i32.add (local.get $dqa) (local.get $d)) (f32x4.demote_f64x2_zero (local.get $c)))
            (local.set $x (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $qa) (local.get $d)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dk) (local.get $o0)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dk) (local.get $o0)) (local.get $d))))
              (f64x2.mul (local.get $w0) (local.get $x)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dk) (local.get $o1)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dk) (local.get $o1)) (local.get $d))))
              (f64x2.mul (local.get $w1) (local.get $x)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dk) (local.get $o2)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dk) (local.get $o2)) (local.get $d))))
              (f64x2.mul (local.get $w2) (local.get $x)))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dk) (local.get $o3)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dk) (local.get $o3)) (local.get $d))))
              (f64x2.mul (local.get $w3) (local.get $x)))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $axpys (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $quads)))
        (block $singles_done (loop $singles
          (br_if $singles_done (i32.gt_u (local.get $j) (local.get $t)))
          (local.set $o0 (i32.add (local.get $ho) (i32.mul (local.get $j) (local.get $D4))))
          (local.set $ds (f64.mul (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2)))))
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))))) (local.get $row_dot)))
            (local.get $scale)))
          (local.set $w0 (f64x2.splat (local.get $ds)))
          (local.set $d (i32.const 0))
          (loop $axpys
            (v128.store64_lane align=4 0 (i32.add (local.get $dqa) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $dqa) (local.get $d))))
              (f64x2.mul (local.get $w0)
                (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $k) (local.get $o0)) (local.get $d))))))))
            (v128.store64_lane align=4 0 (i32.add (i32.add (local.get $dk) (local.get $o0)) (local.get $d)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (i32.add (local.get $dk) (local.get $o0)) (local.get $d))))
              (f64x2.mul (local.get $w0)
                (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $qa) (local.get $d))))))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $axpys (i32.lt_u (local.get $d) (local.get $dh4))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $singles)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $heads)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows)))))
