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
plot  "calls-sweep-storm-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 37.9500 + 0.51780*x with lines lc 1 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 41.9430 + 87.69030*x with lines lc 2 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 42.7450 + 95.10810*x with lines lc 3 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 42.0700 + 95.03760*x with lines lc 4 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 43.1020 + 95.00590*x with lines lc 5 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 45.6470 + 90.28780*x with lines lc 6 notitle
