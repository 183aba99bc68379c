# Regenerate: cd charts && gnuplot calls-sweep-synthetic-tp_btf.gp
if (!exists("outfile")) outfile = "calls-sweep-synthetic-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at synthetic/tp_btf: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-synthetic-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 68.6550 + 2.23450*x with lines lc 1 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 157.0820 + 268.30400*x with lines lc 2 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 190.6230 + 291.26440*x with lines lc 3 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 183.1280 + 277.76770*x with lines lc 4 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 157.2270 + 292.65510*x with lines lc 5 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 167.4580 + 291.53340*x with lines lc 6 notitle
