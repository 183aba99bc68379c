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
plot  "calls-sweep-storm-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 167.7530 + 2.90900*x with lines lc 1 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 353.5730 + 267.98570*x with lines lc 2 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 449.0830 + 283.56340*x with lines lc 3 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 474.4170 + 293.36300*x with lines lc 4 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 363.5800 + 290.42830*x with lines lc 5 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "freplace", 391.5330 + 283.18160*x with lines lc 6 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 6 using 1:2 with points pt 7 lc 7 title "tailcall", 375.3770 + 292.95730*x with lines lc 7 notitle
