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
plot  "calls-sweep-storm-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 38.6310 + 0.59200*x with lines lc 1 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 44.1000 + 87.45880*x with lines lc 2 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 47.4440 + 94.45590*x with lines lc 3 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 42.0380 + 95.32920*x with lines lc 4 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 42.7160 + 95.41740*x with lines lc 5 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 47.6350 + 89.62690*x with lines lc 6 notitle
