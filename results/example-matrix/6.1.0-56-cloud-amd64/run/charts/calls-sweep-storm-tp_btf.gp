# Regenerate: cd charts && gnuplot calls-sweep-storm-tp_btf.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/tp_btf: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 377.2760 + 2.81760*x with lines lc 1 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 741.9010 + 294.08920*x with lines lc 2 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 664.7170 + 301.57180*x with lines lc 3 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 715.3080 + 304.68960*x with lines lc 4 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "tailcall", 712.2780 + 332.17100*x with lines lc 5 notitle
