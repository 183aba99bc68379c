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
plot  "calls-sweep-synthetic-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 30.6090 + 0.32130*x with lines lc 1 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 31.7690 + 87.57410*x with lines lc 2 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 32.4910 + 94.37970*x with lines lc 3 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 33.7290 + 94.49250*x with lines lc 4 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 33.3360 + 94.42810*x with lines lc 5 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 33.2880 + 90.28370*x with lines lc 6 notitle
